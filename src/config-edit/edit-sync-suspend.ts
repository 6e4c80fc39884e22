/**
 * Sets or clears `spec.sync.suspend` (and `spec.sync.suspendReason`) of one Environment document
 * in a YAML file's text, as a structural and minimal edit: the nodes are found with `yaml`'s
 * Document API (its source ranges), and only their bytes change. Comments, blank lines, quoting,
 * indentation and the other documents of the file stay as they were, and clearing what setting
 * added gives the original text back byte for byte. A block `sync` map gets lines of its own at its
 * indentation; a flow one (`sync: { drift: warn }`) is rewritten on its line.
 *
 * The result is checked by parsing it again with the loader's parser: every document must read as
 * before except for those two keys, or the edit is refused (a bug, never a commit of a broken file).
 */
import { isDeepStrictEqual } from 'node:util';
import { isMap, isScalar, LineCounter, type Node, type Pair, parseAllDocuments, type YAMLMap } from 'yaml';
import { parseYaml } from '../config/parse-yaml.js';
import { McpGitopsError } from '../core/errors.js';

export type SuspendEdit = { suspend: true; reason?: string } | { suspend: false };

export interface SuspendEditResult {
  text: string;
  /** False when the document already says what was asked (suspended, or not suspended). */
  changed: boolean;
}

interface Splice {
  start: number;
  end: number;
  insert: string;
}

type AnyPair = Pair<unknown, unknown>;

export function editSyncSuspend(
  file: string,
  text: string,
  index: number,
  edit: SuspendEdit,
): SuspendEditResult {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { uniqueKeys: false, lineCounter: lines });
  const doc = Array.isArray(docs) ? docs[index] : undefined;
  const where = (offset: number) => {
    const { line, col } = lines.linePos(offset);
    return `${file}:${line}:${col}`;
  };
  const refuse = (offset: number, why: string) =>
    new McpGitopsError('ERR_INVALID_CONFIG', `${where(offset)}: cannot edit sync.suspend here: ${why}`, {
      hint: `set it by hand (spec.sync.suspend: ${edit.suspend}) and commit`,
    });
  if (!doc || doc.errors.length > 0 || !isMap(doc.contents)) {
    throw refuse(doc?.range[0] ?? 0, 'the document is not a readable YAML mapping');
  }
  const specPair = pairOf(doc.contents, 'spec');
  const spec = specPair?.value;
  if (!specPair || !isMap(spec) || !spec.range) throw refuse(doc.range[0], 'spec is not a mapping');
  const syncPair = pairOf(spec, 'sync');
  const sync = syncPair?.value;
  if (syncPair && (!isMap(sync) || !sync.range)) {
    throw refuse(keyStart(syncPair), 'sync is not a mapping');
  }
  const syncMap = sync as YAMLMap<unknown, unknown> | undefined;
  const suspendedNow = syncMap ? scalarValue(pairOf(syncMap, 'suspend')) === true : false;

  const nl = text.includes('\r\n') ? '\r\n' : '\n';
  let splices: Splice[];
  if (edit.suspend) {
    if (suspendedNow) return { text, changed: false };
    const fields: [string, string | undefined][] = [
      ['suspend', 'true'],
      ['suspendReason', edit.reason === undefined ? undefined : JSON.stringify(edit.reason)],
    ];
    if (!syncMap || !syncPair) {
      if (spec.flow) throw refuse(spec.range[0], 'spec is a flow mapping ({ ... })');
      splices = [insertSync(text, specPair, spec, fields, nl)];
    } else {
      splices = syncMap.flow
        ? [rewriteFlow(text, syncMap, fields)]
        : setInBlock(text, syncMap, fields, nl, refuse);
    }
  } else {
    if (!suspendedNow || !syncMap || !syncPair) return { text, changed: false };
    const fields: [string, undefined][] = [
      ['suspend', undefined],
      ['suspendReason', undefined],
    ];
    const left = syncMap.items.filter((p) => !fields.some(([k]) => keyOf(p) === k));
    if (left.length === 0) splices = [removePair(text, syncPair, syncMap)];
    else if (syncMap.flow) splices = [rewriteFlow(text, syncMap, fields)];
    else splices = setInBlock(text, syncMap, fields, nl, refuse);
  }

  const out = apply(text, splices);
  if (out === text) return { text, changed: false };
  checkEdit(file, text, out, index, edit);
  return { text: out, changed: true };
}

function keyOf(pair: AnyPair): unknown {
  return isScalar(pair.key) ? pair.key.value : pair.key;
}

function pairOf(map: YAMLMap<unknown, unknown>, key: string): AnyPair | undefined {
  return map.items.find((p) => String(keyOf(p)) === key);
}

function scalarValue(pair: AnyPair | undefined): unknown {
  return pair && isScalar(pair.value) ? pair.value.value : undefined;
}

function keyStart(pair: AnyPair): number {
  return (pair.key as Node | null)?.range?.[0] ?? 0;
}

/** Where a pair's value ends (its key's end when it has no value). */
function valueEnd(pair: AnyPair): number {
  const value = pair.value as Node | null;
  return value?.range?.[1] ?? (pair.key as Node | null)?.range?.[1] ?? 0;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Just past the end of the line holding `offset` (its newline included), or the end of the text. */
function nextLine(text: string, offset: number): number {
  if (offset > 0 && text[offset - 1] === '\n') return offset;
  const at = text.indexOf('\n', offset);
  return at === -1 ? text.length : at + 1;
}

function column(text: string, offset: number): number {
  return offset - lineStart(text, offset);
}

/** A block mapping: each field replaced in place, added as new lines after the last pair, or removed with its line. */
function setInBlock(
  text: string,
  map: YAMLMap<unknown, unknown>,
  fields: [string, string | undefined][],
  nl: string,
  refuse: (offset: number, why: string) => Error,
): Splice[] {
  const splices: Splice[] = [];
  const added: string[] = [];
  const first = map.items[0];
  const indent = first ? ' '.repeat(column(text, keyStart(first))) : '';
  for (const [key, value] of fields) {
    const pair = pairOf(map, key);
    const node = pair?.value as Node | null | undefined;
    if (pair && value === undefined) {
      const start = lineStart(text, keyStart(pair));
      splices.push({ start, end: nextLine(text, valueEnd(pair)), insert: '' });
    } else if (pair && value !== undefined) {
      if (!isScalar(node) || !node.range || node.range[0] === node.range[1]) {
        throw refuse(keyStart(pair), `${key} has no plain value to replace`);
      }
      splices.push({ start: node.range[0], end: node.range[1], insert: value });
    } else if (value !== undefined) {
      added.push(`${indent}${key}: ${value}${nl}`);
    }
  }
  if (added.length > 0) {
    const last = map.items.at(-1) as AnyPair;
    const at = nextLine(text, valueEnd(last));
    const lead = at === text.length && !text.endsWith('\n') ? nl : '';
    splices.push({ start: at, end: at, insert: lead + added.join('') });
  }
  return splices;
}

/** A flow mapping, rewritten from its pairs' own source text: `{ drift: warn, suspend: true }`. */
function rewriteFlow(
  text: string,
  map: YAMLMap<unknown, unknown>,
  fields: [string, string | undefined][],
): Splice {
  const range = map.range as [number, number, number];
  const entries: string[] = [];
  for (const pair of map.items) {
    const field = fields.find(([k]) => k === keyOf(pair));
    if (!field) entries.push(text.slice(keyStart(pair), valueEnd(pair)));
    else if (field[1] !== undefined) entries.push(`${field[0]}: ${field[1]}`);
  }
  for (const [key, value] of fields) {
    if (value !== undefined && !pairOf(map, key)) entries.push(`${key}: ${value}`);
  }
  return { start: range[0], end: range[1], insert: entries.length ? `{ ${entries.join(', ')} }` : '{}' };
}

/** A new block `sync` as the first entry of spec, on the lines right after `spec:`. */
function insertSync(
  text: string,
  specPair: AnyPair,
  spec: YAMLMap<unknown, unknown>,
  fields: [string, string | undefined][],
  nl: string,
): Splice {
  const first = spec.items[0];
  const specIndent = column(text, keyStart(specPair));
  const indent = first ? column(text, keyStart(first)) : specIndent + 2;
  const step = Math.max(indent - specIndent, 2);
  const pad = ' '.repeat(indent);
  const body = fields
    .filter((f): f is [string, string] => f[1] !== undefined)
    .map(([k, v]) => `${pad}${' '.repeat(step)}${k}: ${v}${nl}`)
    .join('');
  const at = nextLine(text, (specPair.key as Node).range?.[1] ?? 0);
  return { start: at, end: at, insert: `${pad}sync:${nl}${body}` };
}

/** The whole `sync` pair: its lines (block), or the line it sits on (flow). */
function removePair(text: string, pair: AnyPair, map: YAMLMap<unknown, unknown>): Splice {
  const end = map.flow ? valueEnd(pair) : (map.range as [number, number, number])[1];
  return { start: lineStart(text, keyStart(pair)), end: nextLine(text, end), insert: '' };
}

function apply(text: string, splices: Splice[]): string {
  let out = text;
  for (const s of [...splices].sort((a, b) => b.start - a.start)) {
    out = out.slice(0, s.start) + s.insert + out.slice(s.end);
  }
  return out;
}

/** The edited text must read exactly as the original, but for the two keys of that one document. */
function checkEdit(file: string, before: string, after: string, index: number, edit: SuspendEdit): void {
  const a = parseYaml(file, before);
  const b = parseYaml(file, after);
  if (!a.ok || !b.ok || a.documents.length !== b.documents.length) {
    throw new Error(`editing sync.suspend in ${file} would break the file; nothing was written`);
  }
  const expected = structuredClone(a.documents) as unknown[];
  const doc = expected[index] as { spec: { sync?: Record<string, unknown> } };
  const { suspend: _s, suspendReason: _r, ...sync } = doc.spec.sync ?? {};
  if (edit.suspend) {
    sync.suspend = true;
    if (edit.reason !== undefined) sync.suspendReason = edit.reason;
  }
  if (Object.keys(sync).length > 0) doc.spec.sync = sync;
  else delete doc.spec.sync;
  if (!isDeepStrictEqual(normalize(b.documents), normalize(expected))) {
    throw new Error(`editing sync.suspend in ${file} changed more than sync.suspend; nothing was written`);
  }
}

/** Key order does not matter to the comparison (a flow map's pairs may be rewritten in place). */
function normalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalize);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
        .map(([k, v]) => [k, normalize(v)]),
    );
  }
  return value;
}
