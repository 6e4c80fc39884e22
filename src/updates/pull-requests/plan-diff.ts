/**
 * The plan part of an update pull request, pure: which targets change and in what field, from the
 * desired state of the base commit against the desired state of the update branch. Every server
 * whose resolved spec differs on a target is listed with the fields that differ (`package.version:
 * 1.0.0 → 1.1.0`); a version bump should show exactly that, so anything more is visible to review.
 */
import type { DesiredServer, DesiredState } from '../../core/state.js';

export interface FieldChange {
  path: string;
  before?: unknown;
  after?: unknown;
}

export interface TargetServerChange {
  /** `environment/target`. */
  target: string;
  server: string;
  fields: FieldChange[];
}

const MAX_FIELDS = 50;

function flatten(value: unknown, prefix: string, out: Map<string, unknown>): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0 && prefix !== '') out.set(prefix, {});
    for (const [k, v] of entries) flatten(v, prefix === '' ? k : `${prefix}.${k}`, out);
    return;
  }
  out.set(prefix, value);
}

function fieldChanges(before: DesiredServer | undefined, after: DesiredServer | undefined): FieldChange[] {
  const a = new Map<string, unknown>();
  const b = new Map<string, unknown>();
  if (before) flatten(before.spec, '', a);
  if (after) flatten(after.spec, '', b);
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
  const out: FieldChange[] = [];
  for (const path of paths) {
    const x = a.get(path);
    const y = b.get(path);
    if (JSON.stringify(x) === JSON.stringify(y)) continue;
    out.push({ path, ...(a.has(path) ? { before: x } : {}), ...(b.has(path) ? { after: y } : {}) });
    if (out.length >= MAX_FIELDS) break;
  }
  return out;
}

function serversByTarget(state: DesiredState): Map<string, Map<string, DesiredServer>> {
  const out = new Map<string, Map<string, DesiredServer>>();
  for (const env of state.environments)
    for (const target of [...env.targets, ...env.fleet])
      out.set(`${env.name}/${target.name}`, new Map(target.servers.map((s) => [s.name, s])));
  return out;
}

export function planDiff(base: DesiredState, branch: DesiredState): TargetServerChange[] {
  const before = serversByTarget(base);
  const after = serversByTarget(branch);
  const out: TargetServerChange[] = [];
  for (const target of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const a = before.get(target) ?? new Map<string, DesiredServer>();
    const b = after.get(target) ?? new Map<string, DesiredServer>();
    for (const server of [...new Set([...a.keys(), ...b.keys()])].sort()) {
      const x = a.get(server);
      const y = b.get(server);
      if (x && y && x.specHash === y.specHash) continue;
      const fields = fieldChanges(x, y);
      if (fields.length > 0) out.push({ target, server, fields });
    }
  }
  return out;
}
