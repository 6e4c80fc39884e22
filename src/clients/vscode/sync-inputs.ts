/**
 * VS Code asks for `${input:ID}` values once and keeps them in its secret storage; each ID needs an
 * `inputs` entry. Ours are `promptString` with `password: true` and an ID starting `mcp-gitops-`:
 * missing ones are added, and ones no server references any more are removed. The user's own
 * inputs are never touched.
 */
import { isRecord, readJsonValue, setJsonValue } from '../json-document.js';
import type { ClientDocument } from '../types.js';

export const INPUT_PREFIX = 'mcp-gitops-';
const INPUT_REF = /\$\{input:([^}]+)\}/g;

export function inputId(server: string, variable: string): string {
  return `${INPUT_PREFIX}${server}-${variable}`;
}

export function syncInputs(doc: ClientDocument): void {
  const servers = readJsonValue(doc, ['servers']);
  const wanted = new Map<string, string>();
  if (isRecord(servers)) {
    for (const [name, entry] of Object.entries(servers)) {
      if (!isRecord(entry)) continue;
      for (const [variable, value] of Object.entries(isRecord(entry.env) ? entry.env : {})) {
        if (typeof value !== 'string') continue;
        for (const match of value.matchAll(INPUT_REF)) {
          const id = match[1]!;
          if (id.startsWith(INPUT_PREFIX) && !wanted.has(id)) {
            wanted.set(id, `${variable} for MCP server "${name}" (managed by mcp-gitops)`);
          }
        }
      }
    }
  }
  const current = readJsonValue(doc, ['inputs']);
  const inputs = Array.isArray(current) ? current : [];
  const kept = inputs.filter((input) => !isOurs(input) || wanted.has(input.id));
  const have = new Set(kept.filter(isOurs).map((input) => input.id));
  const added = [...wanted]
    .filter(([id]) => !have.has(id))
    .map(([id, description]) => ({ type: 'promptString', id, description, password: true }));
  if (added.length === 0 && kept.length === inputs.length) return;
  // An emptied list stays as `"inputs": []`: the key may be the user's.
  setJsonValue(doc, ['inputs'], [...kept, ...added]);
}

function isOurs(input: unknown): input is { id: string } {
  return isRecord(input) && typeof input.id === 'string' && input.id.startsWith(INPUT_PREFIX);
}
