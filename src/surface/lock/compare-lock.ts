/**
 * Whether a live surface is the locked one, by name: which tools were added, removed or changed,
 * and whether the instructions, prompts or templates moved. Fingerprints only, no text, so it is
 * cheap and safe to print; the field-level diff is src/surface/diff-surface.ts.
 */
import type { ToolSurface } from '../types.js';

export interface LockComparison {
  matches: boolean;
  added: string[];
  removed: string[];
  changed: string[];
  /** `instructions`, `prompts`, `resourceTemplates`: the parts besides tools that differ. */
  other: string[];
}

const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

export function compareToLock(locked: ToolSurface, current: ToolSurface): LockComparison {
  const before = new Map(locked.tools.map((t) => [t.name, t.fingerprint]));
  const after = new Map(current.tools.map((t) => [t.name, t.fingerprint]));
  const added = [...after.keys()].filter((n) => !before.has(n)).sort();
  const removed = [...before.keys()].filter((n) => !after.has(n)).sort();
  const changed = [...after.entries()]
    .filter(([n, fp]) => before.has(n) && before.get(n) !== fp)
    .map(([n]) => n)
    .sort();
  const other: string[] = [];
  if ((locked.instructions ?? '') !== (current.instructions ?? '')) other.push('instructions');
  if (!sameList([...locked.prompts].sort(), [...current.prompts].sort())) other.push('prompts');
  if (!sameList([...locked.resourceTemplates].sort(), [...current.resourceTemplates].sort()))
    other.push('resourceTemplates');
  const matches =
    locked.fingerprint === current.fingerprint &&
    added.length + removed.length + changed.length + other.length === 0;
  return { matches, added, removed, changed, other };
}
