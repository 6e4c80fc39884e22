/**
 * `POST /fleet/v1/rotate` (signed with the machine's current key): the machine's new public key.
 * It is written before the answer, so after a 200 only the new key is accepted.
 */
import type { Route } from '../../serve/types.js';
import { FLEET_LIMITS, FLEET_PATHS, type RotateResponse } from '../protocol.js';
import { parsePublicKey } from '../signing.js';
import { answerRefusal, parseJson, sendJson } from './fleet-http.js';
import { type HubContext, signedRequest } from './hub-context.js';

export function rotateRoute(ctx: HubContext): Route {
  const route = FLEET_PATHS.rotate;
  return {
    method: 'POST',
    path: route,
    async handle(req, res) {
      const signed = await signedRequest(ctx, req, res, route, FLEET_LIMITS.enrollBodyBytes);
      if (!signed) return;
      const body = parseJson(signed.body);
      if (!ctx.validators.rotate(body) || !parsePublicKey(body.publicKey)) {
        ctx.logger.warn(
          { route, machineId: signed.machine.machineId, reason: 'invalid-body' },
          'fleet request refused',
        );
        return answerRefusal(req, res, 'bad-request', true);
      }
      const now = ctx.now();
      ctx.store.put({ ...signed.machine, publicKey: body.publicKey, rotatedAt: now, lastSeen: now }, 'now');
      ctx.logger.info({ machineId: signed.machine.machineId }, 'fleet machine key rotated');
      const answer: RotateResponse = {
        machineId: signed.machine.machineId,
        rotatedAt: new Date(now).toISOString(),
      };
      sendJson(res, 200, answer);
    },
  };
}
