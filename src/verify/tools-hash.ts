/**
 * A stable fingerprint of what a server offers: sha256 over its tools' names and input schemas in
 * canonical JSON (keys sorted at every depth, tools sorted by name). Descriptions are left out so
 * a reworded help text is not reported as a changed tool surface.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../core/canonical-json.js';

export interface ToolShape {
  name: string;
  inputSchema?: unknown;
}

export function toolsHash(tools: readonly ToolShape[]): string {
  const shapes = [...tools]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((t) => ({ name: t.name, inputSchema: t.inputSchema ?? null }));
  return createHash('sha256').update(canonicalJson(shapes)).digest('hex');
}

export { canonicalJson };
