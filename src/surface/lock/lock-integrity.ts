/**
 * Whether a lock's fingerprints still describe its content: the lock cannot lie. Every tool's
 * fingerprint is recomputed from the fields written beside it, and the whole fingerprint from the
 * tools, instructions, prompts and templates. A description edited by hand without re-locking is
 * caught at that tool; a tool deleted or reordered by hand, at the surface. Pure: validation
 * (src/validate/check-tool-locks.ts) turns the problems into diagnostics.
 */
import { surfaceFingerprint, toolFacts, toolFingerprint } from '../fingerprint.js';
import type { SurfaceTool, ToolSurface } from '../types.js';

export type LockProblem =
  | { kind: 'tool-fingerprint'; index: number; tool: string; expected: string }
  | { kind: 'tool-order'; index: number; tool: string; previous: string }
  | { kind: 'surface-fingerprint'; expected: string };

/** Problems of a schema-valid lock surface; empty when every fingerprint matches its content. */
export function lockProblems(surface: ToolSurface): LockProblem[] {
  const problems: LockProblem[] = [];
  surface.tools.forEach((tool, index) => {
    const expected = toolFingerprint(toolFacts(tool as SurfaceTool & Record<string, unknown>));
    if (expected !== tool.fingerprint)
      problems.push({ kind: 'tool-fingerprint', index, tool: tool.name, expected });
    const previous = surface.tools[index - 1]?.name;
    if (previous !== undefined && !(previous < tool.name)) {
      problems.push({ kind: 'tool-order', index, tool: tool.name, previous });
    }
  });
  const expected = surfaceFingerprint({
    tools: surface.tools,
    instructions: surface.instructions,
    prompts: surface.prompts,
    resourceTemplates: surface.resourceTemplates,
  });
  if (expected !== surface.fingerprint) problems.push({ kind: 'surface-fingerprint', expected });
  return problems;
}
