/**
 * Whether an environment entry resolves a server exactly as written wherever a policy looks: no
 * template rendered there and no override (or environment/target health default) set there. Then one judgement of the server as written
 * stands for that environment, which spares rendering and normalizing it once per environment
 * and target (most of `validate`'s policy time on large repos).
 */
import { templateFields } from '../templates/template-fields.js';
import { type SpecReads, seesChange } from './assert-reads.js';
import type { ServerGroup, ServerPlacement } from './policy-subjects.js';

type Path = (string | number)[];

/** The paths an overlay sets or deletes (its leaves; a list is set as a whole). */
function overridePaths(overrides: unknown, path: Path = [], out: Path[] = []): Path[] {
  if (overrides === null || typeof overrides !== 'object' || Array.isArray(overrides)) {
    out.push(path.slice());
    return out;
  }
  for (const key of Object.keys(overrides)) {
    path.push(key);
    overridePaths((overrides as Record<string, unknown>)[key], path, out);
    path.pop();
  }
  return out;
}

const overrideCache = new WeakMap<object, Path[]>();

function overridesOf(overrides: unknown): Path[] {
  if (overrides === undefined || overrides === null) return [];
  if (typeof overrides !== 'object') return [[]];
  let paths = overrideCache.get(overrides);
  if (!paths) {
    paths = overridePaths(overrides);
    overrideCache.set(overrides, paths);
  }
  return paths;
}

type Verdicts = WeakMap<object, boolean>;
const bySpec = new WeakMap<SpecReads, Verdicts>();
const byOverrides = new WeakMap<SpecReads, Verdicts>();

/** Memoized per policy's reads and per object: the same spec serves every environment. */
function memo(
  cache: WeakMap<SpecReads, Verdicts>,
  reads: SpecReads,
  value: object,
  compute: () => boolean,
): boolean {
  let verdicts = cache.get(reads);
  if (!verdicts) {
    verdicts = new WeakMap();
    cache.set(reads, verdicts);
  }
  let verdict = verdicts.get(value);
  if (verdict === undefined) {
    verdict = compute();
    verdicts.set(value, verdict);
  }
  return verdict;
}

function templatesUnseen(reads: SpecReads, value: unknown): boolean {
  for (const field of templateFields(value, 'server'))
    if (seesChange(reads, field.path, 'template')) return false;
  return true;
}

export function resolvesAsWritten(group: ServerGroup, placement: ServerPlacement, reads: SpecReads): boolean {
  if (reads.all) return false;
  const spec = group.doc.value.spec;
  if (!memo(bySpec, reads, spec, () => templatesUnseen(reads, spec))) return false;
  // The environment's or a target's health defaults act like an override of health.tools.
  const defaults =
    placement.scope.health?.tools !== undefined ||
    placement.targets.some((t) => t.health?.tools !== undefined);
  if (defaults && seesChange(reads, ['health', 'tools'], 'override')) return false;
  const overrides = placement.entry.overrides;
  if (overrides === undefined || overrides === null) return true;
  if (typeof overrides !== 'object') return false;
  return memo(
    byOverrides,
    reads,
    overrides,
    () =>
      templatesUnseen(reads, overrides) &&
      !overridesOf(overrides).some((path) => seesChange(reads, path, 'override')),
  );
}
