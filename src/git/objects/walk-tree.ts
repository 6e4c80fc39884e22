/**
 * A commit's tree, walked depth-first in git's path order without recursion (a hostile tree can
 * nest thousands of folders), reading only tree objects: what to do with blobs is the visitor's.
 */
import type { ObjectStore } from './object-store.js';

export interface TreeEntry {
  /** Repo-relative path, POSIX separators. */
  path: string;
  /** Octal mode as git stores it: 40000 tree, 100644/100755 file, 120000 symlink, 160000 submodule. */
  mode: number;
  oid: string;
}

/** Trees are small; one beyond this is refused rather than inflated. */
const MAX_TREE_BYTES = 16 * 1024 * 1024;

export function parseTree(data: Buffer, prefix: string): TreeEntry[] {
  const entries: TreeEntry[] = [];
  let pos = 0;
  while (pos < data.length) {
    const space = data.indexOf(0x20, pos);
    const nul = data.indexOf(0, space + 1);
    if (space === -1 || nul === -1 || nul + 21 > data.length) throw new Error('tree object is corrupt');
    const mode = Number.parseInt(data.toString('latin1', pos, space), 8);
    const name = data.toString('utf8', space + 1, nul);
    if (name === '' || name === '.' || name === '..' || name.includes('/'))
      throw new Error(`tree has a bad entry name "${name}"`);
    entries.push({
      path: prefix ? `${prefix}/${name}` : name,
      mode,
      oid: data.toString('hex', nul + 1, nul + 21),
    });
    pos = nul + 21;
  }
  return entries;
}

/** The tree of a commit (peeling annotated tags on the way). */
export function commitTree(store: ObjectStore, oid: string): string {
  let current = oid;
  for (let i = 0; i < 10; i++) {
    const object = store.read(current, MAX_TREE_BYTES);
    const text = object.data.toString('latin1', 0, Math.min(object.data.length, 200));
    if (object.type === 'commit') {
      const m = /^tree ([0-9a-f]{40})\n/.exec(text);
      if (!m) throw new Error(`commit ${current} has no tree`);
      return m[1]!;
    }
    if (object.type === 'tree') return current;
    const m = object.type === 'tag' ? /^object ([0-9a-f]{40})\n/.exec(text) : null;
    if (!m) throw new Error(`${current} is a ${object.type}, not a commit`);
    current = m[1]!;
  }
  throw new Error(`${oid}: too many nested tags`);
}

/**
 * Calls `visit` for every entry under `tree`; a folder is entered when `visit` returns true.
 * `maxEntries` bounds the walk: a tree with more entries in all is an error.
 */
export function walkTree(
  store: ObjectStore,
  tree: string,
  visit: (entry: TreeEntry) => boolean,
  maxEntries = 1_000_000,
): void {
  const stack: { oid: string; path: string }[] = [{ oid: tree, path: '' }];
  let seen = 0;
  while (stack.length > 0) {
    const { oid, path } = stack.pop()!;
    const object = store.read(oid, MAX_TREE_BYTES);
    if (object.type !== 'tree') throw new Error(`${path || '/'} is a ${object.type}, not a tree`);
    const entries = parseTree(object.data, path);
    seen += entries.length;
    if (seen > maxEntries) throw new Error(`the tree has more than ${maxEntries} entries`);
    const folders: { oid: string; path: string }[] = [];
    for (const entry of entries) {
      if (visit(entry) && entry.mode === 0o40000) folders.push({ oid: entry.oid, path: entry.path });
    }
    for (let i = folders.length - 1; i >= 0; i--) stack.push(folders[i]!);
  }
}
