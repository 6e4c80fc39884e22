/**
 * `git log` from one commit, newest first, the way isomorphic-git's log walks (so both return the
 * same list): a queue of tips ordered by committer time, each parent queued unless already queued,
 * shallow commits' parents skipped, stopping after `depth` commits. The reconciler walks it on
 * every run to find its config revision (src/git/config-revision.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ObjectStore } from '../objects/object-store.js';
import { type CommitRecord, readCommit } from './read-commit.js';

export function walkLog(
  store: ObjectStore,
  commonDir: string,
  start: string,
  depth?: number,
): { oid: string; message: string }[] {
  const shallow = readShallow(commonDir);
  const commits: { oid: string; message: string }[] = [];
  const tips: CommitRecord[] = [readCommit(store, start)];
  while (tips.length > 0) {
    const commit = tips.pop()!;
    commits.push({ oid: commit.oid, message: commit.message });
    if (depth !== undefined && commits.length === depth) break;
    if (!shallow.has(commit.oid)) {
      for (const parent of commit.parents) {
        const next = readCommit(store, parent);
        if (!tips.some((t) => t.oid === next.oid)) tips.push(next);
      }
    }
    tips.sort((a, b) => a.committedAt - b.committedAt);
  }
  return commits;
}

/** The commits a shallow clone has no parents of (`shallow`, one oid a line). */
function readShallow(commonDir: string): Set<string> {
  let text: string;
  try {
    text = fs.readFileSync(path.join(commonDir, 'shallow'), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Set();
    throw err;
  }
  return new Set(text.trim() === '' ? [] : text.trim().split('\n'));
}
