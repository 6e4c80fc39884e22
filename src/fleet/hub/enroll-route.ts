/**
 * `POST /fleet/v1/enroll`: a one-time token and the machine's public key become a MachineRecord.
 * The request is unauthenticated, so it is held to the address rate limit, a small body cap and
 * the enrolment schema before the token is touched: a malformed request never burns a token.
 * Labels come from the token (what the operator chose) plus the built-in `os` and `arch` from the
 * machine's facts, which are stored as the untrusted, capped strings they are.
 */
import { readBody } from '../../serve/read-body.js';
import type { Route } from '../../serve/types.js';
import { type EnrollResponse, FLEET_LIMITS, FLEET_PATHS } from '../protocol.js';
import type { MachineRecord } from '../rollout/types.js';
import { parsePublicKey } from '../signing.js';
import { answerRefusal, parseJson, sendJson } from './fleet-http.js';
import { admitAddress, type HubContext } from './hub-context.js';
import { newMachineId } from './machine-id.js';
import { consumeToken } from './tokens.js';

export function enrollRoute(ctx: HubContext): Route {
  const route = FLEET_PATHS.enroll;
  return {
    method: 'POST',
    path: route,
    async handle(req, res) {
      if (!admitAddress(ctx, req, res, route)) return;
      const read = await readBody(req, FLEET_LIMITS.enrollBodyBytes, {
        idleMs: ctx.bodyIdleMs,
        deadlineMs: ctx.bodyDeadlineMs,
      });
      if (!Buffer.isBuffer(read)) {
        ctx.logger.warn({ route, reason: read }, 'fleet request refused');
        const refusal = read === 'too-large' ? 'too-large' : read === 'aborted' ? 'bad-request' : 'timed-out';
        return answerRefusal(req, res, refusal, false);
      }
      const body = parseJson(read);
      if (!ctx.validators.enroll(body) || !parsePublicKey(body.publicKey)) {
        ctx.logger.warn({ route, reason: 'invalid-body' }, 'fleet request refused');
        return answerRefusal(req, res, 'bad-request', true);
      }
      const consumed = consumeToken(ctx.store.paths.dir, body.token, ctx.now());
      if (!consumed.ok) {
        ctx.logger.warn({ route, reason: `token-${consumed.why}` }, 'fleet request refused');
        return answerRefusal(req, res, 'unauthorized', true);
      }
      const { grant } = consumed;
      const now = ctx.now();
      const record: MachineRecord = {
        machineId: newMachineId(),
        environment: grant.environment,
        labels: { ...grant.labels, os: body.facts.os, arch: body.facts.arch },
        facts: body.facts,
        publicKey: body.publicKey,
        enrolledAt: now,
        lastSeen: now,
        targets: {},
      };
      ctx.store.put(record, 'now');
      ctx.logger.info(
        { machineId: record.machineId, environment: record.environment },
        'fleet machine enrolled',
      );
      const answer: EnrollResponse = {
        machineId: record.machineId,
        environment: record.environment,
        labels: record.labels,
        hubPublicKey: ctx.store.hubKey().publicKey,
      };
      sendJson(res, 200, answer);
    },
  };
}
