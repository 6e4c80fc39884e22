/**
 * Adds `- name: X` with `targets: [T]` to `spec.servers` of one Environment document, as a
 * minimal in-place edit (the approach of config-edit/edit-sync-suspend.ts): lines are inserted
 * after the last item of the block sequence at its indentation; every other byte stays. The
 * result is parsed again and must read as before plus the new items, or the edit is refused.
 */
import { isDeepStrictEqual } from 'node:util';
import { isMap, isSeq, parseAllDocuments } from 'yaml';
import { McpGitopsError } from '../core/errors.js';

export function placeServers(
  file: string,
  text: string,
  index: number,
  names: string[],
  target: string,
): string {
  if (names.length === 0) return text;
  const docs = parseAllDocuments(text, { uniqueKeys: false });
  const doc = Array.isArray(docs) ? docs[index] : undefined;
  const refuse = (why: string) =>
    new McpGitopsError('ERR_INVALID_CONFIG', `${file}: cannot add servers to spec.servers: ${why}`, {
      hint: `add them by hand:\n${names.map((n) => `    - name: ${n}\n      targets: [${target}]`).join('\n')}`,
    });
  if (!doc || doc.errors.length > 0 || !isMap(doc.contents))
    throw refuse('the document is not a YAML mapping');
  const spec = doc.contents.get('spec', true);
  if (!isMap(spec)) throw refuse('spec is not a mapping');
  const servers = spec.get('servers', true);
  if (!isSeq(servers) || servers.flow || servers.items.length === 0 || !servers.range) {
    throw refuse('spec.servers is not a non-empty block list');
  }
  const first = servers.range[0];
  const lineStart = text.lastIndexOf('\n', first - 1) + 1;
  const indent = ' '.repeat(first - lineStart);
  const last = servers.items[servers.items.length - 1] as { range?: [number, number, number] };
  const lastEnd = last.range?.[1] ?? servers.range[1];
  const nl = text.includes('\r\n') ? '\r\n' : '\n';
  let at = text.indexOf('\n', Math.max(lastEnd - 1, 0));
  at = at < 0 ? text.length : at + 1;
  const lines = names.map((n) => `${indent}- name: ${n}${nl}${indent}  targets: [${target}]${nl}`).join('');
  const prefix = at === text.length && !text.endsWith('\n') ? nl : '';
  const out = text.slice(0, at) + prefix + lines + text.slice(at);
  const before = parseAllDocuments(text).map((d) => d.toJS());
  const after = parseAllDocuments(out).map((d) => d.toJS());
  const expected = structuredClone(before);
  expected[index].spec.servers.push(...names.map((name) => ({ name, targets: [target] })));
  if (!isDeepStrictEqual(after, expected)) throw refuse('the edit would not read back as intended');
  return out;
}
