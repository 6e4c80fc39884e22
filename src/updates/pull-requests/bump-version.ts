/**
 * The version bump of one pin, as a text edit of the YAML file it is written in: the scalar at the
 * report's location (file, line, document path) is found with `yaml`'s Document API and only its
 * bytes change, keeping comments, quoting style, indentation and every other document. The result
 * is parsed again with the loader's parser and must read exactly as before except for that value,
 * or the edit is refused (never a commit of a file that means something else).
 */
import { isDeepStrictEqual } from 'node:util';
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, Scalar } from 'yaml';
import { parseYaml } from '../../config/parse-yaml.js';
import { McpGitopsError } from '../../core/errors.js';
import type { VersionLocation } from '../types.js';
import { SAFE_VERSION } from './branch-names.js';

export interface BumpResult {
  text: string;
  /** The value that was there (to check it is the version the report saw). */
  previous: string;
}

function refuse(where: string, why: string): McpGitopsError {
  return new McpGitopsError('ERR_INVALID_CONFIG', `${where}: cannot bump the version here: ${why}`, {
    hint: 'edit the version by hand, or run `mcp-gitops updates` again: the file may have changed since it was read',
  });
}

function childOf(node: unknown, key: string | number): unknown {
  if (isMap(node)) {
    const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === key);
    return pair?.value;
  }
  if (isSeq(node) && typeof key === 'number') return node.items[key];
  return undefined;
}

/** Writes `version` in place of the scalar at `location` in `text`; `current` must be what is there. */
export function bumpVersion(
  text: string,
  location: VersionLocation,
  current: string,
  version: string,
): BumpResult {
  const at = `${location.file}:${location.line}`;
  if (!SAFE_VERSION.test(version)) throw refuse(at, 'the new version has characters a pin may not hold');
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { uniqueKeys: false, lineCounter: lines });
  if (!Array.isArray(docs)) throw refuse(at, 'the file is empty');
  const matches: { index: number; node: Scalar }[] = [];
  docs.forEach((doc, index) => {
    if (doc.errors.length > 0) return;
    let node: unknown = doc.contents;
    for (const key of location.path) node = childOf(node, key);
    if (isScalar(node) && node.range && lines.linePos(node.range[0]).line === location.line) {
      matches.push({ index, node });
    }
  });
  const found = matches[0];
  if (!found || matches.length > 1)
    throw refuse(at, `no single scalar at ${location.path.join('.')} on this line`);
  const node = found.node as Scalar & { range: [number, number, number] };
  const previous = String(node.value);
  if (previous !== current)
    throw refuse(at, `it says ${JSON.stringify(previous).slice(0, 80)}, not the pinned ${current}`);
  const out = text.slice(0, node.range[0]) + scalarText(node, version) + text.slice(node.range[1]);
  checkEdit(at, location, text, out, found.index, version);
  return { text: out, previous };
}

/** The new scalar in the style of the old one (a plain scalar that would read as a number is quoted). */
function scalarText(node: Scalar, version: string): string {
  switch (node.type) {
    case Scalar.QUOTE_DOUBLE:
      return JSON.stringify(version);
    case Scalar.QUOTE_SINGLE:
      return `'${version}'`;
    case Scalar.PLAIN:
      return /^[0-9.+-]+$/.test(version) && !Number.isNaN(Number(version)) ? `"${version}"` : version;
    default:
      throw refuse('', 'the version is a block scalar');
  }
}

function setAt(value: unknown, path: readonly (string | number)[], leaf: string): unknown {
  if (path.length === 0) return leaf;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  const copy = (Array.isArray(value) ? [...value] : { ...(value as Record<string, unknown>) }) as Record<
    string | number,
    unknown
  >;
  copy[head] = setAt(copy[head], rest, leaf);
  return copy;
}

function checkEdit(
  at: string,
  location: VersionLocation,
  before: string,
  after: string,
  index: number,
  version: string,
): void {
  const a = parseYaml(location.file, before);
  const b = parseYaml(location.file, after);
  if (!a.ok || !b.ok || a.documents.length !== b.documents.length)
    throw refuse(at, 'the edited file does not parse as before');
  a.documents.forEach((doc, i) => {
    const expected = i === index ? setAt(doc, location.path, version) : doc;
    if (!isDeepStrictEqual(expected, b.documents[i]))
      throw refuse(at, 'the edit would change more than the version');
  });
}
