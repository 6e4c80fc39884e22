/**
 * Fleet targets (`host: fleet`, DESIGN.md §4): the rules the schema types cannot say on their own.
 * A fleet target is a client-config target (agents write their own machine's client configs);
 * `selector` and `rollout` mean something only on one; `home` is each machine's own, never the
 * repo's; waves are cumulative shares, ascending, ending at 100%, and minHealthy a share too.
 * Each problem is a diagnostic at the offending field.
 */
import type { LoadedDocument } from '../core/config-set.js';
import type { Diagnostic } from '../core/diagnostics.js';
import type { EnvironmentResource } from '../core/resources.js';
import { percentFraction } from '../fleet/bundle/rollout-spec.js';
import { FLEET_HOST } from '../resolve/resolve-target.js';
import { diagnosticAt } from './diagnostic-at.js';

const RULE = 'fleet-target';
const FLEET_PROVIDER = 'client-config';

export function checkFleetTargets(env: LoadedDocument<EnvironmentResource>): Diagnostic[] {
  const out: Diagnostic[] = [];
  env.value.spec.targets.forEach((target, i) => {
    const at = (path: (string | number)[], message: string, which: 'key' | 'value' = 'value') =>
      out.push(
        diagnosticAt(env, ['spec', 'targets', i, ...path], `target "${target.name}": ${message}`, RULE, {
          which,
        }),
      );
    if (target.host !== FLEET_HOST) {
      for (const key of ['selector', 'rollout'] as const) {
        if (target[key] !== undefined)
          at(
            [key],
            `${key} applies only to a fleet target (host: fleet); remove it or set host: fleet`,
            'key',
          );
      }
      return;
    }
    if (target.provider !== FLEET_PROVIDER)
      at(
        ['host'],
        `host: fleet works only with provider client-config (each machine's agent writes its own MCP client configs), not "${target.provider}"`,
      );
    if (target.home !== undefined)
      at(
        ['home'],
        "home is not set on a fleet target: each machine uses its own home (~ is the agent's home); remove it",
        'key',
      );
    out.push(...checkRollout(env, i, target.name, target.rollout));
  });
  return out;
}

function checkRollout(
  env: LoadedDocument<EnvironmentResource>,
  i: number,
  name: string,
  rollout: unknown,
): Diagnostic[] {
  if (rollout === null || typeof rollout !== 'object') return [];
  const out: Diagnostic[] = [];
  const at = (path: (string | number)[], message: string) =>
    out.push(
      diagnosticAt(env, ['spec', 'targets', i, 'rollout', ...path], `target "${name}": ${message}`, RULE),
    );
  const { waves, minHealthy } = rollout as { waves?: unknown[]; minHealthy?: unknown };
  if (Array.isArray(waves) && waves.length > 0) {
    let previous = 0;
    waves.forEach((wave, w) => {
      const fraction = percentFraction(wave);
      if (fraction === undefined) {
        at(
          ['waves', w],
          `rollout.waves[${w}]: ${JSON.stringify(wave)} is not a share above 0% and at most 100%`,
        );
        return;
      }
      if (fraction <= previous)
        at(
          ['waves', w],
          `rollout.waves[${w}]: waves are cumulative and must grow (${JSON.stringify(wave)} after ${percentText(previous)})`,
        );
      previous = Math.max(previous, fraction);
    });
    const last = waves.length - 1;
    if (percentFraction(waves[last]) !== 1)
      at(
        ['waves', last],
        `rollout.waves: the last wave must be 100% (every matching machine), not ${JSON.stringify(waves[last])}`,
      );
  }
  if (minHealthy !== undefined && percentFraction(minHealthy, true) === undefined)
    at(['minHealthy'], `rollout.minHealthy: ${JSON.stringify(minHealthy)} is not a share from 0% to 100%`);
  return out;
}

function percentText(fraction: number): string {
  return `${Math.round(fraction * 1e8) / 1e6}%`;
}
