/**
 * `GET /fleet/v1/bundle` (signed): the machine's signed bundle from the BundleSource, with its
 * digest as the ETag; an agent that already has it (`If-None-Match`) gets 304 and no body. A
 * machine no fleet target matches gets a terse 404. The target names given are remembered: a
 * report may name only those.
 */
import type { Route } from '../../serve/types.js';
import { FLEET_PATHS } from '../protocol.js';
import { bundleDigest, matchesEtag } from './bundle-etag.js';
import { answerRefusal, sendJson } from './fleet-http.js';
import { type HubContext, signedRequest, touch } from './hub-context.js';

export function bundleRoute(ctx: HubContext): Route {
  const route = FLEET_PATHS.bundle;
  return {
    method: 'GET',
    path: route,
    async handle(req, res) {
      const signed = await signedRequest(ctx, req, res, route, 0);
      if (!signed) return;
      const machine = touch(ctx, signed.machine);
      const bundle = await ctx.bundleSource.bundleFor(machine);
      if (!bundle) return answerRefusal(req, res, 'not-found', true);
      const names = ctx.given.get(machine.machineId) ?? new Set<string>();
      for (const t of bundle.bundle.targets) names.add(t.name);
      ctx.given.set(machine.machineId, names);
      const etag = `"${bundleDigest(bundle.bundle)}"`;
      if (matchesEtag(req.headers['if-none-match'], etag)) {
        res.writeHead(304, { etag, 'cache-control': 'no-store' });
        return void res.end();
      }
      sendJson(res, 200, bundle, { etag });
    },
  };
}
