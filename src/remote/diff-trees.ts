/**
 * The file-level changes from one tree to another (path → new blob oid, or null when removed),
 * skipping identical subtrees. Replaying them with `treeWith` onto another base re-applies a commit.
 */
import * as fs from 'node:fs';
import type { WalkerEntry } from 'isomorphic-git';
import { git, TREE } from '../git/iso-git.js';
import type { TreeChanges } from '../git/tree-with.js';

export async function diffTrees(dir: string, from: string, to: string, cache: object): Promise<TreeChanges> {
  const changes = new Map<string, string | null>();
  await git.walk({
    fs,
    dir,
    cache,
    trees: [TREE({ ref: from }), TREE({ ref: to })],
    map: async (filepath: string, entries: (WalkerEntry | null)[]) => {
      const [a, b] = entries;
      if (filepath === '.') return true;
      const [oa, ob] = [await a?.oid(), await b?.oid()];
      if (oa === ob) return null; // same blob, or same subtree: do not descend
      const [ta, tb] = [await a?.type(), await b?.type()];
      if (tb === 'blob') changes.set(filepath, ob as string);
      else if (ta === 'blob') changes.set(filepath, null);
      return true;
    },
  });
  return changes;
}
