/**
 * A revision expression → commit oid: a ref name (`HEAD`, `main`, `origin/main`, `v1.0.0`,
 * `prod/v1.4.0`), a full or abbreviated oid, each optionally followed by `~N` / `^N` steps as in
 * git (`HEAD~1`, `main^2`). Annotated tags are peeled to their commit. Refs, tags and commits are
 * read natively (src/git/native-reads.ts); isomorphic-git, loaded only then, expands abbreviated
 * oids and answers whatever the native readers leave to it, so the result is always its result.
 */
import fs from 'node:fs';
import { McpGitopsError } from '../core/errors.js';
import { readCommit } from '../git/commits/read-commit.js';
import { git } from '../git/iso-git.js';
import { readRef } from '../git/native-reads.js';
import { ObjectStore } from '../git/objects/object-store.js';
import { nativeOr } from '../git/refs/not-handled.js';

const STEP = /([~^])(\d*)/g;

async function resolveBase(dir: string, base: string, cache: object): Promise<string | undefined> {
  for (const ref of [base, `refs/tags/${base}`, `refs/remotes/${base}`]) {
    const oid = await readRef(dir, ref);
    if (oid) return oid;
  }
  if (/^[0-9a-f]{4,40}$/i.test(base)) {
    return git.expandOid({ fs, dir, oid: base.toLowerCase(), cache }).catch(() => undefined);
  }
  return undefined;
}

async function peelToCommit(dir: string, oid: string, cache: object): Promise<string> {
  let current = oid;
  for (let i = 0; i < 10; i++) {
    const obj = await git.readObject({ fs, dir, oid: current, cache });
    if (obj.type === 'commit') return current;
    if (obj.type !== 'tag') break;
    current = (await git.readTag({ fs, dir, oid: current, cache })).tag.object;
  }
  throw new Error(`${oid} does not name a commit`);
}

export async function resolveRevision(dir: string, rev: string): Promise<string> {
  // A full commit id (a pull request's head, a saved plan's revision) needs no ref lookup.
  if (/^[0-9a-f]{40}$/.test(rev) && isCommit(dir, rev)) return rev;
  const cache = {};
  const fail = (why: string) =>
    new McpGitopsError('ERR_GIT', `unknown revision "${rev}": ${why}`, {
      hint: 'give a branch, a tag, a commit id, optionally with ~N or ^N (e.g. HEAD~1)',
    });
  const firstStep = rev.search(/[~^]/);
  const base = firstStep < 0 ? rev : rev.slice(0, firstStep);
  const steps = firstStep < 0 ? '' : rev.slice(firstStep);
  if (base === '' || steps.replace(STEP, '') !== '') throw fail('not a revision expression');
  const start = await resolveBase(dir, base, cache);
  if (!start) throw fail('no such ref or commit');
  try {
    return await nativeOr(
      () => {
        const store = ObjectStore.open(dir);
        try {
          return walkSteps(start, steps, (oid) => readCommit(store, oid));
        } finally {
          store.close();
        }
      },
      async () => walkStepsIsoGit(dir, await peelToCommit(dir, start, cache), steps, cache),
    );
  } catch (err) {
    if (err instanceof McpGitopsError) throw err;
    throw fail(err instanceof Error ? err.message : String(err));
  }
}

/** `~N` / `^N` steps from `oid` (peeled to its commit by `parentsOf`, which reads a commit's parents). */
function walkSteps(
  oid: string,
  steps: string,
  parentsOf: (oid: string) => { oid: string; parents: string[] },
) {
  let current = parentsOf(oid).oid;
  for (const [, op, digits] of steps.matchAll(STEP)) {
    const n = digits === '' ? 1 : Number(digits);
    for (let i = 0; i < (op === '~' ? n : 1); i++) {
      const parent = parentsOf(current).parents[op === '~' ? 0 : n - 1];
      if (op === '^' && n === 0) break;
      if (!parent) throw new Error(`${current.slice(0, 7)} has no such parent`);
      current = parent;
    }
  }
  return current;
}

async function walkStepsIsoGit(dir: string, start: string, steps: string, cache: object): Promise<string> {
  let oid = start;
  for (const [, op, digits] of steps.matchAll(STEP)) {
    const n = digits === '' ? 1 : Number(digits);
    for (let i = 0; i < (op === '~' ? n : 1); i++) {
      const { commit } = await git.readCommit({ fs, dir, oid, cache });
      const parent = commit.parent[op === '~' ? 0 : n - 1];
      if (op === '^' && n === 0) break;
      if (!parent) throw new Error(`${oid.slice(0, 7)} has no such parent`);
      oid = parent;
    }
  }
  return oid;
}

function isCommit(dir: string, oid: string): boolean {
  let store: ObjectStore | undefined;
  try {
    store = ObjectStore.open(dir);
    return store.info(oid).type === 'commit';
  } catch {
    return false;
  } finally {
    store?.close();
  }
}
