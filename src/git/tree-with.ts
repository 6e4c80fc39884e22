/**
 * A tree equal to `base` with some paths set to blobs or removed, reading and writing only the
 * trees on those paths. Lets the reconciler commit exactly its report files, whatever else the
 * user has staged.
 */
import * as fs from 'node:fs';
import type { TreeEntry } from 'isomorphic-git';
import { git } from './iso-git.js';

/** Path → blob oid, or null to remove. Paths are repo-relative with `/`. */
export type TreeChanges = ReadonlyMap<string, string | null>;

export async function treeWith(
  dir: string,
  base: string | undefined,
  changes: TreeChanges,
  cache: object,
): Promise<string> {
  const entries: TreeEntry[] = base ? (await git.readTree({ fs, dir, oid: base, cache })).tree : [];
  const byName = new Map(entries.map((e) => [e.path, e]));
  const nested = new Map<string, Map<string, string | null>>();
  for (const [p, oid] of changes) {
    const slash = p.indexOf('/');
    if (slash < 0) {
      if (oid === null) byName.delete(p);
      else byName.set(p, { mode: '100644', path: p, oid, type: 'blob' });
      continue;
    }
    const head = p.slice(0, slash);
    const sub = nested.get(head) ?? new Map<string, string | null>();
    sub.set(p.slice(slash + 1), oid);
    nested.set(head, sub);
  }
  for (const [name, sub] of nested) {
    const existing = byName.get(name);
    const subBase = existing?.type === 'tree' ? existing.oid : undefined;
    const oid = await treeWith(dir, subBase, sub, cache);
    const empty = (await git.readTree({ fs, dir, oid, cache })).tree.length === 0;
    if (empty) byName.delete(name);
    else byName.set(name, { mode: '040000', path: name, oid, type: 'tree' });
  }
  return git.writeTree({ fs, dir, tree: [...byName.values()] });
}
