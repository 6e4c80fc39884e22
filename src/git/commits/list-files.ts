/**
 * Every file path of a commit (blobs, symlinks and submodule commits; not folders), in
 * isomorphic-git's listFiles order: each folder's entries sorted by name as plain strings,
 * depth first. Entries isomorphic-git refuses (an unknown mode, a name such as `.git`, `..` or one
 * with a slash) make this throw, so that the caller asks isomorphic-git and gets its answer.
 */
import type { ObjectStore } from '../objects/object-store.js';
import { commitTree } from '../objects/walk-tree.js';

const MAX_TREE_BYTES = 16 * 1024 * 1024;
const MAX_ENTRIES = 1_000_000;
const MODES = new Set(['40000', '100644', '100755', '120000', '160000']);

export function listFiles(store: ObjectStore, commit: string, under?: string): string[] {
  const files: string[] = [];
  let seen = 0;
  const visit = (tree: string, prefix: string, depth: number) => {
    if (depth > 1000) throw new Error('folders nested too deep');
    const entries = readTree(store, tree);
    seen += entries.length;
    if (seen > MAX_ENTRIES) throw new Error(`the tree has more than ${MAX_ENTRIES} entries`);
    for (const entry of entries) {
      const full = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
      if (entry.mode === '40000') visit(entry.oid, full, depth + 1);
      else files.push(full);
    }
  };
  const start =
    under === undefined ? { tree: commitTree(store, commit), prefix: '' } : subtree(store, commit, under);
  if (start) visit(start.tree, start.prefix, start.prefix.split('/').length);
  return files;
}

/**
 * The folder `under` (`a/b` or `a/b/`) of the commit: only the trees on its path are read, so the
 * files below it are listed without the rest of the commit (the reports folder of a repo of 10,000
 * server files). Undefined when there is no such folder: no file is under it.
 */
function subtree(
  store: ObjectStore,
  commit: string,
  under: string,
): { tree: string; prefix: string } | undefined {
  const parts = under.replace(/\/$/, '').split('/');
  let tree = commitTree(store, commit);
  for (const part of parts) {
    const entry = readTree(store, tree).find((e) => e.name === part);
    if (entry?.mode !== '40000') return undefined;
    tree = entry.oid;
  }
  return { tree, prefix: parts.join('/') };
}

/** A folder path `subtree` can walk to: names git could hold, no `.`, `..` or empty parts. */
export function isFolderPath(under: string): boolean {
  return /^[^/]+(\/[^/]+)*\/?$/.test(under) && !under.split('/').some((p) => p === '.' || p === '..');
}

function readTree(store: ObjectStore, oid: string): { name: string; mode: string; oid: string }[] {
  const object = store.read(oid, MAX_TREE_BYTES);
  if (object.type !== 'tree') throw new Error(`${oid} is a ${object.type}, not a tree`);
  const data = object.data;
  const entries: { name: string; mode: string; oid: string }[] = [];
  let pos = 0;
  while (pos < data.length) {
    const space = data.indexOf(0x20, pos);
    const nul = data.indexOf(0, space + 1);
    if (space === -1 || nul === -1 || nul + 21 > data.length) throw new Error('tree object is corrupt');
    const mode = data.toString('utf8', pos, space);
    const name = data.toString('utf8', space + 1, nul);
    if (!MODES.has(mode) || !isSafeName(name))
      throw new Error(`tree entry "${name}" (${mode}) is not handled`);
    entries.push({ name, mode, oid: data.toString('hex', nul + 1, nul + 21) });
    pos = nul + 21;
  }
  return entries.sort((a, b) => -(a.name < b.name) || +(a.name > b.name));
}

/**
 * isomorphic-git's check of a tree entry's name (git's verify_path: NTFS and HFS+ aliases of
 * .git); names past U+D7FF sort differently from plain string order, so they are refused too.
 */
function isSafeName(name: string): boolean {
  const hfsClean = name.replace(/[\u200C-\u200F\u202A-\u202E\u206A-\u206F\uFEFF]/g, '');
  const normalized = hfsClean
    .split(':')[0]!
    .toLowerCase()
    .replace(/[. ]+$/, '');
  return !(
    name === '' ||
    /[\uD800-\uFFFF]/.test(name) || // ordered by code point there: isomorphic-git's business
    name.includes('\\') ||
    name.includes('/') ||
    hfsClean === '.' ||
    hfsClean === '..' ||
    normalized === '.git' ||
    /^\.?git~[1-9]$/.test(normalized)
  );
}
