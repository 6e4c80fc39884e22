/**
 * A surface diff from fingerprints alone. A report keeps each tool's name and fingerprint, never
 * its text (what a target says is not echoed into committed files), so when a server has no lock
 * the last report is the only reference: it can tell which tools were added, removed or changed,
 * but not which field. The result is an ordinary SurfaceDiff whose changed tools carry no fields.
 */
import { createHash } from 'node:crypto';
import type { SurfaceDiff, ToolChange, ToolSurface } from './types.js';

/** What a report records of a surface (InventoryEntry.surface). */
export interface SurfacePrints {
  fingerprint?: string;
  tools: readonly { name: string; fingerprint: string }[];
  prompts?: readonly string[];
  resourceTemplates?: readonly string[];
  instructionsFingerprint?: string;
}

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function namesDiff(
  before: readonly string[] | undefined,
  after: readonly string[] | undefined,
): { added: string[]; removed: string[] } | undefined {
  // A side that did not record names (an older report) cannot say what changed.
  if (before === undefined || after === undefined) return undefined;
  const b = new Set(before);
  const a = new Set(after);
  const added = [...a].filter((n) => !b.has(n)).sort(byString);
  const removed = [...b].filter((n) => !a.has(n)).sort(byString);
  return added.length === 0 && removed.length === 0 ? undefined : { added, removed };
}

/**
 * Which tools differ between two recorded surfaces. Changed instructions show as an
 * `instructions` entry with neither text (only their fingerprints were known).
 */
export function diffFingerprints(before: SurfacePrints, after: SurfacePrints): SurfaceDiff {
  const old = new Map(before.tools.map((t) => [t.name, t.fingerprint]));
  const now = new Map(after.tools.map((t) => [t.name, t.fingerprint]));
  const tools: ToolChange[] = [];
  for (const [name, print] of old) {
    const current = now.get(name);
    if (current === undefined) tools.push({ tool: name, kind: 'removed' });
    else if (current !== print) tools.push({ tool: name, kind: 'changed' });
  }
  for (const name of now.keys()) if (!old.has(name)) tools.push({ tool: name, kind: 'added' });
  tools.sort((a, b) => byString(a.tool, b.tool) || byString(a.kind, b.kind));
  const diff: SurfaceDiff = { tools, escalations: [] };
  if (before.instructionsFingerprint !== after.instructionsFingerprint) diff.instructions = {};
  const prompts = namesDiff(before.prompts, after.prompts);
  if (prompts !== undefined) diff.prompts = prompts;
  const templates = namesDiff(before.resourceTemplates, after.resourceTemplates);
  if (templates !== undefined) diff.resourceTemplates = templates;
  return diff;
}

/** `sha256:` over a server's instructions, as a report records them (src/report/surface-summary.ts). */
export function instructionsFingerprint(instructions: string): string {
  return `sha256:${createHash('sha256').update(instructions).digest('hex')}`;
}

/** The fingerprints of a live surface, to compare with a report's record of an earlier one. */
export function surfacePrints(
  surface: ToolSurface,
  instructions = surface.instructions === undefined
    ? undefined
    : instructionsFingerprint(surface.instructions),
): SurfacePrints {
  const instructionsFingerprint = instructions;
  return {
    fingerprint: surface.fingerprint,
    tools: surface.tools.map((t) => ({ name: t.name, fingerprint: t.fingerprint })),
    prompts: surface.prompts,
    resourceTemplates: surface.resourceTemplates,
    ...(instructionsFingerprint === undefined ? {} : { instructionsFingerprint }),
  };
}
