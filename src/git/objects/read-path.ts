/**
 * One file of a commit by its path, through the bounded object store: the trees on the path and
 * the blob, nothing else. The reconciler reads its previous reports this way (a report of 1,000
 * servers is megabytes; isomorphic-git's JS inflate took ~250 ms a run for the three of them).
 */
import type { ObjectStore } from './object-store.js';
import { MissingObjectError } from './types.js';
import { commitTree, parseTree } from './walk-tree.js';

const MAX_TREE_BYTES = 16 * 1024 * 1024;
const TREE_MODE = 0o40000;

/** A file path that does not exist at that commit (or names an object the store lacks). */
export class PathNotFoundError extends Error {
  constructor(readonly filepath: string) {
    super(`no file at "${filepath}"`);
    this.name = 'PathNotFoundError';
  }
}

/**
 * The blob at `filepath` (repo-relative, `/`-separated) in the tree of `commit`, refused over
 * `maxBytes` before it is inflated. A missing path is `PathNotFoundError`; a path through a file,
 * or one naming a folder, is an error.
 */
export function readPathAt(store: ObjectStore, commit: string, filepath: string, maxBytes: number): Buffer {
  try {
    let oid = commitTree(store, commit);
    const names = filepath.split('/');
    for (const [i, name] of names.entries()) {
      const tree = store.read(oid, MAX_TREE_BYTES);
      if (tree.type !== 'tree')
        throw new Error(`"${names.slice(0, i).join('/')}" is a ${tree.type}, not a folder`);
      const entry = parseTree(tree.data, '').find((e) => e.path === name);
      if (!entry) throw new PathNotFoundError(filepath);
      oid = entry.oid;
      if (i === names.length - 1 && entry.mode === TREE_MODE) throw new Error(`"${filepath}" is a folder`);
    }
    const blob = store.read(oid, maxBytes);
    if (blob.type !== 'blob') throw new Error(`"${filepath}" is a ${blob.type}, not a file`);
    return blob.data;
  } catch (err) {
    if (err instanceof MissingObjectError) throw new PathNotFoundError(filepath);
    throw err;
  }
}
