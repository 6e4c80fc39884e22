/**
 * `health.tools`: how a verified tool surface is judged against the approved lock. Pure: the
 * engine (src/engine/verify-changes.ts) looks the lock up, verifies the server, and acts on the
 * verdict — `pin` turns a differing surface (or a missing lock) into a failed verification, `warn`
 * reports it, `ignore` does not look. Verdicts name what changed (tool names, made safe to print),
 * never descriptions or schemas: text from a target is not echoed into reports.
 */
import type { ToolSurface, ToolsMode } from './types.js';

/** An approved surface and the repo file it came from (`tool-locks/<server>/<version>.yaml`). */
export interface LockedSurface {
  surface: ToolSurface;
  file: string;
}

export type ToolsVerdict =
  | { mode: ToolsMode; status: 'ignored' }
  | { mode: ToolsMode; status: 'match'; lock: string }
  /** `changed`: tool names added, removed or changed, then `(instructions)`, `(prompts)`, `(resource templates)`. */
  | { mode: ToolsMode; status: 'changed'; lock: string; changed: string[] }
  /** Pinned, and no lock exists for the server's version. */
  | { mode: 'pin'; status: 'unlocked' };

/** The mode a server runs under: its resolved `health.tools`, else warn with a lock, ignore without. */
export function effectiveToolsMode(
  configured: ToolsMode | undefined,
  lock: LockedSurface | undefined,
): ToolsMode {
  return configured ?? (lock ? 'warn' : 'ignore');
}

export function judgeSurface(
  mode: ToolsMode,
  lock: LockedSurface | undefined,
  current: ToolSurface | undefined,
): ToolsVerdict {
  if (mode === 'ignore' || !current) return { mode, status: 'ignored' };
  if (!lock) return mode === 'pin' ? { mode, status: 'unlocked' } : { mode, status: 'ignored' };
  if (lock.surface.fingerprint === current.fingerprint) return { mode, status: 'match', lock: lock.file };
  const changed = changedParts(lock.surface, current);
  // Equal parts with different fingerprints: a lock written by another fingerprint version.
  return { mode, status: 'changed', lock: lock.file, changed: changed.length ? changed : ['(surface)'] };
}

/** Whether the verdict fails verification: only under `pin`. */
export function failsVerification(verdict: ToolsVerdict): boolean {
  return verdict.mode === 'pin' && (verdict.status === 'changed' || verdict.status === 'unlocked');
}

/** One line for a failed verification, a report's condition or a log: names only. */
export function verdictMessage(verdict: ToolsVerdict, server: string, environment: string): string {
  if (verdict.status === 'unlocked')
    return `health.tools is pin and no tool lock exists for this version: review its tools and run \`mcp-gitops tools lock ${server} --env ${environment}\`, then commit the lock`;
  if (verdict.status === 'changed')
    return `tool surface differs from ${verdict.lock}: ${listNames(verdict.changed)}`;
  return verdict.status === 'match' ? `tool surface matches ${verdict.lock}` : 'tool surface not checked';
}

/** `a, b, c` or `a, b, c and 7 more`. */
export function listNames(names: readonly string[], max = 10): string {
  const shown = names.slice(0, max).join(', ');
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}

function changedParts(locked: ToolSurface, current: ToolSurface): string[] {
  const before = new Map(locked.tools.map((t) => [t.name, t.fingerprint]));
  const after = new Map(current.tools.map((t) => [t.name, t.fingerprint]));
  const names = new Set<string>();
  for (const [name, fp] of after) if (before.get(name) !== fp) names.add(name);
  for (const name of before.keys()) if (!after.has(name)) names.add(name);
  const out = [...names].sort().map(safeName);
  if ((locked.instructions ?? '') !== (current.instructions ?? '')) out.push('(instructions)');
  if (!sameList(locked.prompts, current.prompts)) out.push('(prompts)');
  if (!sameList(locked.resourceTemplates, current.resourceTemplates)) out.push('(resource templates)');
  return out;
}

function sameList(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  const x = a ?? [];
  const y = b ?? [];
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

const SAFE_NAME = /^[A-Za-z0-9_.:/-]{1,64}$/;

/**
 * A tool name as it may be printed: names are chosen by the server, so anything beyond a plain
 * identifier (control characters, hidden Unicode, prose) is shown as a JSON string of at most 64
 * printable ASCII characters.
 */
export function safeName(name: string): string {
  if (SAFE_NAME.test(name)) return name;
  const printable = [...name]
    .slice(0, 64)
    .map((c) => (c >= ' ' && c <= '~' ? c : '?'))
    .join('');
  return JSON.stringify(printable);
}
