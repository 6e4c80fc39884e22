/**
 * Commits and annotated tags read through the bounded object store (src/git/objects/), parsed as
 * isomorphic-git parses them: `tree` first, the `parent` lines right after it, the first of any
 * other header, the message after the first blank line with its newlines normalized. Anything that
 * does not parse throws, and the caller asks isomorphic-git, which then reports it as it always did.
 */
import type { ObjectStore } from '../objects/object-store.js';

/** Commit and tag objects are small; one beyond this is not a config repo's. */
const MAX_OBJECT_BYTES = 16 * 1024 * 1024;
const MAX_TAG_CHAIN = 10;
const PERSON = /^(.*) <(.*)> (.*) (.*)$/;

export interface CommitRecord {
  oid: string;
  tree: string;
  parents: string[];
  /** Committer time, seconds since the epoch. */
  committedAt: number;
  message: string;
}

/** The commit `oid` names, through any annotated tags on the way (as isomorphic-git's readCommit). */
export function readCommit(store: ObjectStore, oid: string): CommitRecord {
  const commit = peelTags(store, oid);
  const object = store.read(commit, MAX_OBJECT_BYTES);
  if (object.type !== 'commit') throw new Error(`${commit} is a ${object.type}, not a commit`);
  return { oid: commit, ...parseCommit(object.data.toString('utf8')) };
}

/** Follows annotated tags from `oid` to the first object that is not one. */
export function peelTags(store: ObjectStore, oid: string): string {
  let current = oid;
  for (let i = 0; i < MAX_TAG_CHAIN; i++) {
    if (store.info(current).type !== 'tag') return current;
    const text = store.read(current, MAX_OBJECT_BYTES).data.toString('utf8');
    const m = /^object ([0-9a-f]{40})\n/.exec(text);
    if (!m) throw new Error(`tag ${current} has no object line`);
    current = m[1]!;
  }
  throw new Error(`${oid}: more than ${MAX_TAG_CHAIN} nested tags`);
}

export function parseCommit(text: string): Omit<CommitRecord, 'oid'> {
  const end = text.indexOf('\n\n');
  if (end < 0) throw new Error('commit has no message separator');
  const headers: string[] = [];
  for (const line of text.slice(0, end).split('\n')) {
    if (line.startsWith(' ') && headers.length > 0) headers[headers.length - 1] += `\n${line.slice(1)}`;
    else headers.push(line);
  }
  const key = (h: string) => h.slice(0, h.indexOf(' '));
  const value = (h: string) => h.slice(h.indexOf(' ') + 1);
  if (headers.length === 0 || key(headers[0]!) !== 'tree')
    throw new Error('commit does not start with a tree');
  const parents: string[] = [];
  let i = 1;
  for (; i < headers.length && key(headers[i]!) === 'parent'; i++) parents.push(value(headers[i]!));
  const first = new Map<string, string>();
  for (; i < headers.length; i++)
    if (!first.has(key(headers[i]!))) first.set(key(headers[i]!), value(headers[i]!));
  const author = first.get('author');
  if (author !== undefined && !PERSON.test(author)) throw new Error('commit has a malformed author');
  const committer = PERSON.exec(first.get('committer') ?? '');
  if (!committer) throw new Error('commit has no well-formed committer');
  return {
    tree: value(headers[0]!),
    parents,
    committedAt: Number(committer[3]),
    message: normalizeNewlines(text.slice(end + 2)),
  };
}

/** No carriage returns, no leading newlines, exactly one newline at the end. */
function normalizeNewlines(text: string): string {
  return `${text.replace(/\r/g, '').replace(/^\n+/, '').replace(/\n+$/, '')}\n`;
}
