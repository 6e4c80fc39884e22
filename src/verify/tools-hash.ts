/**
 * A stable fingerprint of what a server offers: sha256 over its tools' names and input schemas in
 * canonical JSON (keys sorted at every depth, tools sorted by name). Descriptions are left out so
 * a reworded help text is not reported as a changed tool surface.
 */
import { createHash } from 'node:crypto';

export interface ToolShape {
  name: string;
  inputSchema?: unknown;
}

export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

export function toolsHash(tools: readonly ToolShape[]): string {
  const shapes = [...tools]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((t) => ({ name: t.name, inputSchema: t.inputSchema ?? null }));
  return createHash('sha256').update(canonicalJson(shapes)).digest('hex');
}
