/**
 * A ref name → commit-or-tag oid, read straight from the git folder: what `plan`, `reconcile` and
 * `validate --rev` need on every run, without loading isomorphic-git (~35 ms of module loading).
 * It follows isomorphic-git's rules, so both give the same answer: a full oid is itself; a name is
 * looked up as `NAME`, `refs/NAME`, `refs/tags/NAME`, `refs/heads/NAME`, `refs/remotes/NAME`,
 * `refs/remotes/NAME/HEAD`, each as a loose file and then in `packed-refs`; a `ref: ` value is
 * followed (a symbolic ref, HEAD on a branch) a bounded number of times. Linked worktrees read
 * shared refs from the common git folder (git-dirs.ts).
 *
 * A name git would refuse (ref-name.ts) names nothing: it is never joined onto a path. A case the
 * native reader does not cover throws NotHandledError, for the caller to ask isomorphic-git.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type GitDirs, refFolder } from './git-dirs.js';
import { NotHandledError } from './not-handled.js';
import { readPackedRefs } from './packed-refs.js';
import { isValidRefName } from './ref-name.js';

const FULL_OID = /^[0-9a-f]{40}$/;
/** git's own limit for symbolic refs pointing at symbolic refs. */
const MAX_SYMREF_DEPTH = 5;
/** Files of the git folder that are not refs (isomorphic-git skips them the same way). */
const GIT_FILES = new Set(['config', 'description', 'index', 'shallow', 'commondir']);

const spellings = (name: string) =>
  [
    name,
    `refs/${name}`,
    `refs/tags/${name}`,
    `refs/heads/${name}`,
    `refs/remotes/${name}`,
    `refs/remotes/${name}/HEAD`,
  ].filter((p) => !GIT_FILES.has(p));

/** The oid `ref` names, or undefined when it names nothing (or is not a valid ref name). */
export function resolveRef(dirs: GitDirs, ref: string): string | undefined {
  return resolveIn(dirs, ref, readPackedRefs(dirs.commonDir), 0);
}

function resolveIn(
  dirs: GitDirs,
  ref: string,
  packed: Map<string, string>,
  depth: number,
): string | undefined {
  if (FULL_OID.test(ref)) return ref;
  if (!isValidRefName(ref)) return undefined;
  for (const name of spellings(ref)) {
    const loose = readLooseRef(dirs, name);
    // FETCH_HEAD, ORIG_HEAD and the like hold more than a ref: isomorphic-git's business.
    if (loose !== undefined && name !== 'HEAD' && !name.startsWith('refs/'))
      throw new NotHandledError(`the one-level ref ${name}`);
    const value = (loose || packed.get(name))?.trim();
    if (!value) continue;
    if (FULL_OID.test(value)) return value;
    if (!value.startsWith('ref: ')) throw new NotHandledError(`ref ${name} holds "${value.slice(0, 60)}"`);
    if (depth >= MAX_SYMREF_DEPTH) throw new NotHandledError(`symbolic ref ${name} nested too deep`);
    return resolveIn(dirs, value.slice('ref: '.length), packed, depth + 1);
  }
  return undefined;
}

/**
 * The branch HEAD is on, as isomorphic-git's currentBranch gives it (`main` for
 * `refs/heads/main`), or undefined when HEAD is detached.
 */
export function currentBranch(dirs: GitDirs): string | undefined {
  const value = readLooseRef(dirs, 'HEAD')?.trim();
  if (!value) throw new NotHandledError('no HEAD file');
  if (FULL_OID.test(value)) return undefined;
  if (!value.startsWith('ref: ')) throw new NotHandledError(`HEAD holds "${value.slice(0, 60)}"`);
  const target = value.slice('ref: '.length);
  if (!target.startsWith('refs/')) return undefined;
  const m = /^refs\/(heads\/|tags\/|remotes\/)?(.*)/.exec(target)!;
  return m[1] === 'remotes/' && target.endsWith('/HEAD') ? m[2]!.slice(0, -5) : m[2]!;
}

/**
 * Every tag name, sorted, as isomorphic-git's listTags gives them: the loose files under
 * `refs/tags/` (at any depth) and the packed `refs/tags/` refs, without peeled entries.
 */
export function listTags(dirs: GitDirs): string[] {
  const folder = path.join(dirs.commonDir, 'refs', 'tags');
  let names: string[] = [];
  try {
    names = filesUnder(folder, '');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  for (const key of readPackedRefs(dirs.commonDir).keys()) {
    if (!key.startsWith('refs/tags')) continue;
    const name = key.replace('refs/tags/', '');
    if (!names.includes(name)) names.push(name);
  }
  return names.filter((n) => !n.endsWith('^{}')).sort(compareRefNames);
}

function filesUnder(folder: string, prefix: string): string[] {
  const out: string[] = [];
  for (const name of fs.readdirSync(folder)) {
    const full = path.join(folder, name);
    if (fs.statSync(full).isDirectory()) out.push(...filesUnder(full, `${prefix}${name}/`));
    else out.push(`${prefix}${name}`);
  }
  return out;
}

/** isomorphic-git's order for ref names: by name, a peeled `^{}` entry after its ref. */
function compareRefNames(a: string, b: string): number {
  const x = a.replace(/\^\{\}$/, '');
  const y = b.replace(/\^\{\}$/, '');
  const order = -(x < y) || +(x > y);
  if (order === 0) return a.endsWith('^{}') ? 1 : -1;
  return order;
}

/** A loose ref file's text; undefined when there is none (or the name is a folder). */
function readLooseRef(dirs: GitDirs, name: string): string | undefined {
  try {
    return fs.readFileSync(path.join(refFolder(dirs, name), name), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') return undefined;
    throw err;
  }
}
