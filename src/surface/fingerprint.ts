/**
 * Fingerprints of a tool surface: SHA-256 over canonical JSON (keys sorted at every depth), so the
 * same surface always gives the same hash, whatever order a server lists its tools or keys in.
 * Unlike the older `toolsHash` (names and input schemas only), every field that reaches the model
 * counts: a reworded description is exactly what tool poisoning and rug pulls change.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../core/canonical-json.js';
import type { SurfaceTool, ToolFacts, ToolSurface } from './types.js';

function sha256(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

/** The fields of a listed tool that reach the model, with nothing else a server sent. */
export function toolFacts(tool: Record<string, unknown> & { name: string }): ToolFacts {
  const facts: ToolFacts = { name: tool.name };
  if (typeof tool.title === 'string') facts.title = tool.title;
  if (typeof tool.description === 'string') facts.description = tool.description;
  if (tool.inputSchema !== undefined) facts.inputSchema = tool.inputSchema;
  if (tool.outputSchema !== undefined) facts.outputSchema = tool.outputSchema;
  if (tool.annotations !== null && typeof tool.annotations === 'object' && !Array.isArray(tool.annotations))
    facts.annotations = tool.annotations as Record<string, unknown>;
  return facts;
}

export function toolFingerprint(facts: ToolFacts): string {
  const { name, title, description, inputSchema, outputSchema, annotations } = facts;
  return sha256(canonicalJson({ name, title, description, inputSchema, outputSchema, annotations }));
}

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * How deep a tool's JSON may nest. A server's reply is parsed by JSON.parse, which takes any depth,
 * but everything after it (canonical JSON, diffs, policies) recurses: a schema nested a few
 * thousand levels deep would overflow the stack. Real schemas stay well under 20 levels.
 */
export const MAX_TOOL_DEPTH = 64;

export class ToolTooDeepError extends Error {
  override readonly name = 'ToolTooDeepError';
}

/** True when `value` nests deeper than `limit` objects/arrays (checked without recursion). */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth >= limit) return true;
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return false;
}

/** A surface from what a server listed: tools deduplicated by name (first wins) and sorted. */
export function buildSurface(input: {
  tools: readonly (Record<string, unknown> & { name: string })[];
  instructions?: string;
  prompts?: readonly string[];
  resourceTemplates?: readonly string[];
}): ToolSurface {
  const seen = new Set<string>();
  const tools: SurfaceTool[] = [];
  for (const listed of input.tools) {
    if (seen.has(listed.name)) continue;
    seen.add(listed.name);
    if (nestsDeeperThan(listed, MAX_TOOL_DEPTH))
      throw new ToolTooDeepError(
        `tool ${JSON.stringify(listed.name.slice(0, 64))} nests deeper than ${MAX_TOOL_DEPTH} levels: not fingerprinted`,
      );
    const facts = toolFacts(listed);
    tools.push({ ...facts, fingerprint: toolFingerprint(facts) });
  }
  tools.sort(byName);
  const prompts = [...new Set(input.prompts ?? [])].sort();
  const resourceTemplates = [...new Set(input.resourceTemplates ?? [])].sort();
  const instructions =
    input.instructions === undefined || input.instructions === '' ? undefined : input.instructions;
  return {
    fingerprint: surfaceFingerprint({ tools, instructions, prompts, resourceTemplates }),
    tools,
    ...(instructions === undefined ? {} : { instructions }),
    prompts,
    resourceTemplates,
  };
}

/** The whole surface's hash: tool fingerprints (not their text again), instructions, names. */
export function surfaceFingerprint(surface: Omit<ToolSurface, 'fingerprint'>): string {
  return sha256(
    canonicalJson({
      tools: surface.tools.map((t) => [t.name, t.fingerprint]),
      instructions: surface.instructions,
      prompts: surface.prompts,
      resourceTemplates: surface.resourceTemplates,
    }),
  );
}
