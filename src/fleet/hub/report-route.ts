/**
 * `POST /fleet/v1/report` (signed): an agent's report after a reconcile. The body is capped
 * (FLEET_LIMITS.reportBodyBytes, refused before it is parsed), then it must be JSON, match the
 * report schema, be for the machine that signed it, and name only targets the machine was given.
 * Any refusal leaves the store as it was. An accepted report replaces the machine's per-target
 * records and is handed to `onReport` (rollout and aggregates).
 */
import type { Route } from '../../serve/types.js';
import { FLEET_LIMITS, FLEET_PATHS } from '../protocol.js';
import { applyReport, unknownTargets } from './apply-report.js';
import { answerRefusal, parseJson } from './fleet-http.js';
import { type HubContext, signedRequest } from './hub-context.js';

export function reportRoute(ctx: HubContext): Route {
  const route = FLEET_PATHS.report;
  return {
    method: 'POST',
    path: route,
    async handle(req, res) {
      const signed = await signedRequest(ctx, req, res, route, FLEET_LIMITS.reportBodyBytes);
      if (!signed) return;
      const { machine } = signed;
      const refuse = (reason: string, refusal: 'bad-request' | 'forbidden' | 'unprocessable') => {
        ctx.logger.warn({ route, machineId: machine.machineId, reason }, 'fleet report refused');
        answerRefusal(req, res, refusal, true);
      };
      const report = parseJson(signed.body);
      if (report === undefined) return refuse('not-json', 'bad-request');
      if (!ctx.validators.report(report)) return refuse('schema', 'bad-request');
      if (report.machineId !== machine.machineId) return refuse('other-machine', 'forbidden');
      const given = new Set(ctx.given.get(machine.machineId));
      const current = await ctx.bundleSource.bundleFor(machine);
      for (const t of current?.bundle.targets ?? []) given.add(t.name);
      if (unknownTargets(report, given).length > 0) return refuse('unknown-target', 'unprocessable');
      const updated = applyReport(machine, report, given, ctx.now());
      ctx.store.put(updated, 'soon');
      try {
        ctx.onReport(updated);
      } catch (err) {
        ctx.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'fleet onReport failed');
      }
      res.writeHead(204, { 'cache-control': 'no-store' });
      res.end();
    },
  };
}
