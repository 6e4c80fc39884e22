/**
 * VS Code asks for `${input:ID}` values once and keeps them in its secret storage; each ID needs an
 * `inputs` entry. Ours are `promptString` with `password: true` and an ID starting `mcp-gitops-`:
 * the ones an entry references are added when missing, and ours that no server references any
 * more are removed — as element edits, so the user's own inputs are never touched.
 */
import { appendJsonValue, isRecord, readJsonValue, removeJsonValue } from '../json-document.js';
import type { ClientDocument, ClientEntry } from '../types.js';

export const INPUT_PREFIX = 'mcp-gitops-';
const OUR_REFS = /\$\{input:(mcp-gitops-[^}]+)\}/g;

export function inputId(server: string, variable: string): string {
  return `${INPUT_PREFIX}${server}-${variable}`;
}

/** Bring `inputs` in line after `server`'s entry was written (`entry`) or removed (undefined). */
export function syncInputs(doc: ClientDocument, server: string, entry: ClientEntry | undefined): void {
  // Every reference of ours in the file: a plain text scan (inputs hold ids, never `${input:…}`).
  const referenced = new Set([...doc.text.matchAll(OUR_REFS)].map((m) => m[1]!));
  const current = readJsonValue(doc, ['inputs']);
  const inputs = Array.isArray(current) ? current : [];
  for (let i = inputs.length - 1; i >= 0; i--) {
    const input = inputs[i];
    if (isOurs(input) && !referenced.has(input.id)) removeJsonValue(doc, ['inputs', i]);
  }
  const present = new Set(inputs.filter(isOurs).map((input) => input.id));
  const env = entry && isRecord(entry.env) ? entry.env : {};
  for (const [variable, value] of Object.entries(env)) {
    if (typeof value !== 'string') continue;
    for (const match of value.matchAll(OUR_REFS)) {
      const id = match[1]!;
      if (present.has(id)) continue;
      present.add(id);
      const description = `${variable} for MCP server "${server}" (managed by mcp-gitops)`;
      appendJsonValue(doc, ['inputs'], { type: 'promptString', id, description, password: true });
    }
  }
}

function isOurs(input: unknown): input is { id: string } {
  return isRecord(input) && typeof input.id === 'string' && input.id.startsWith(INPUT_PREFIX);
}
