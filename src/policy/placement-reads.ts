/**
 * Whether an environment entry resolves a server exactly as written wherever a policy looks: no
 * template rendered there and no override set there. Then one judgement of the server as written
 * stands for that environment, which spares rendering and normalizing it once per environment
 * and target (most of `validate`'s policy time on large repos).
 */
import { templateFields } from '../templates/template-fields.js';
import { type Read, readSees } from './assert-reads.js';
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

export function resolvesAsWritten(
  group: ServerGroup,
  placement: ServerPlacement,
  reads: readonly Read[],
): boolean {
  const spec = group.doc.value.spec;
  const overrides = placement.entry.overrides;
  for (const read of reads) {
    if (read.path.length === 0) {
      if (read.deep) return false; // the whole resource
      continue; // only that it is an object
    }
    if (read.path[0] !== 'spec') continue; // apiVersion, kind, metadata: the same everywhere
    for (const field of templateFields(spec, 'server'))
      if (readSees(read, field.path, 'template')) return false;
    for (const field of templateFields(overrides, 'server'))
      if (readSees(read, field.path, 'template')) return false;
    for (const path of overridesOf(overrides)) if (readSees(read, path, 'override')) return false;
  }
  return true;
}
