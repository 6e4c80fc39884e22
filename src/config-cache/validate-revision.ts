/**
 * runValidation of a commit, through a cache of its result keyed by the commit's tree. A commit's
 * tree never changes, yet every plan, reconcile, diff, serve loop and hook reads, parses and
 * validates it again (~230 ms of a 1,000-server plan). Like Argo CD's repo-server, which caches
 * generated manifests by revision, this keeps the result of the last few trees in the repository's
 * git dir (cache-store.ts) and rebuilds exactly the same `{ config, diagnostics }` from it
 * (snapshot.ts), invalid configs included: their diagnostics are the whole result.
 *
 * Why the key (cache-key.ts) is sound, from an audit of what loading and validating a revision
 * reads (src/config, src/validate, src/policy, src/templates and what they import):
 * - the commit's tree: every YAML blob and symlink under it, nothing else of the repository (the
 *   commit id only becomes ConfigSet.revision, which is set from the caller's commit on a hit; no
 *   check reads it, so a report commit or a rebase that keeps the tree keeps the entry);
 * - the product: its code, `schemas/`, built-in `policies/` and the installed parsing, validation
 *   and templating packages, all in productBuildId() (build-id.ts);
 * - the load options: the size limits (maxFileBytes, maxTotalBytes), and the work tree's path,
 *   which becomes ConfigSet.root (no check reads it; keyed anyway, it costs nothing).
 * Nothing else: no check reads process.env, HOME, the clock, the locale, the platform, files
 * outside the repository but the product's own, or the network. Secret refs stay refs. What reads
 * the working tree (the uncommitted-config warning) is computed by the caller every run.
 *
 * A caller may cache a value derived from the result with it (`derive`): loadDesired caches the
 * resolved desired state, keyed by its `--env` / `--target` selection. Resolution (src/resolve and
 * the templates and providers' `supports` it calls) is as pure as validation: it reads the config,
 * the selection and the product's code, no environment, HOME or clock (`~` stays `~` until a host
 * expands it).
 *
 * A miss, a disabled cache (`MCP_GITOPS_CONFIG_CACHE=0`, or sources run without
 * `MCP_GITOPS_CONFIG_CACHE=1`, see build-id.ts), an unreadable or corrupt entry, or a result that
 * cannot be serialized all fall back to runValidation itself, whose result is returned as is.
 */
import { resolve } from 'node:path';
import type { LoadResult } from '../config/load-config.js';
import { DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_TOTAL_BYTES } from '../config/repo-layout.js';
import { readCommit } from '../git/commits/read-commit.js';
import { ObjectStore } from '../git/objects/object-store.js';
import { productBuildId } from './build-id.js';
import { cacheKey } from './cache-key.js';
import { cacheDirOf, readEntry, writeEntry } from './cache-store.js';
import { decodeEntry, encodeEntry } from './entry-codec.js';
import { restoreSnapshot, takeSnapshot } from './snapshot.js';

export interface RevisionValidationOptions<T = undefined> {
  /** The config repo's work tree. */
  root: string;
  /** A full commit id (what configRevision / resolveRevision return). */
  commit: string;
  maxFileBytes?: number;
  maxTotalBytes?: number;
  /** Default productBuildId(); `null` turns the cache off. For tests of the cache itself. */
  buildId?: string | null;
  /** A value computed from the result and cached with it (loadDesired: the resolved desired state). */
  derive?: Derive<T>;
}

/**
 * `compute` must be a pure function of the result and of `key` (JSON data, part of the cache key),
 * and return plain data: v8 serialization keeps objects, arrays, Maps, Sets, Dates and primitives,
 * but turns a class instance into a plain object. It runs on every miss and when the cache is off.
 */
export interface Derive<T> {
  key: unknown;
  compute(result: LoadResult): T;
}

const COMMIT_ID = /^[0-9a-f]{40}$/;

/** The tree of `commit`, read from the object store; undefined if it is not a commit here. */
function treeOf(root: string, commit: string): string | undefined {
  if (!COMMIT_ID.test(commit)) return undefined;
  let store: ObjectStore | undefined;
  try {
    store = ObjectStore.open(root);
    if (store.info(commit).type !== 'commit') return undefined;
    return readCommit(store, commit).tree;
  } catch {
    return undefined;
  } finally {
    store?.close();
  }
}

/** Where a result came from: the cache, a validation that was then cached, or no cache at all. */
export type CacheOutcome = 'hit' | 'miss' | 'off';

export interface RevisionValidation<T> {
  result: LoadResult;
  /** What `derive.compute` gave (undefined without `derive`). */
  derived: T | undefined;
  cache: CacheOutcome;
}

export async function validateRevision(options: RevisionValidationOptions): Promise<LoadResult> {
  return (await validateRevisionTraced(options)).result;
}

/** validateRevision, with a value derived from its result, saying whether the cache answered. */
export async function validateRevisionTraced<T = undefined>(
  options: RevisionValidationOptions<T>,
): Promise<RevisionValidation<T>> {
  const root = resolve(options.root);
  const load = {
    root,
    source: 'revision' as const,
    rev: options.commit,
    maxFileBytes: options.maxFileBytes,
    maxTotalBytes: options.maxTotalBytes,
  };
  // Loaded only when needed: a hit needs none of the parsers, schemas and policies behind it.
  const validate = async () => (await import('../validate/run-validation.js')).runValidation(load);
  const derive = (result: LoadResult) => options.derive?.compute(result);
  const buildId = options.buildId === undefined ? productBuildId() : (options.buildId ?? undefined);
  const dir = buildId === undefined ? undefined : cacheDirOf(root);
  const tree = dir === undefined ? undefined : treeOf(root, options.commit);
  if (buildId === undefined || dir === undefined || tree === undefined) {
    const result = await validate();
    return { result, derived: derive(result), cache: 'off' };
  }

  const key = cacheKey({
    buildId,
    tree,
    root,
    maxFileBytes: options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
    maxTotalBytes: options.maxTotalBytes ?? DEFAULT_MAX_TOTAL_BYTES,
    derived: options.derive === undefined ? null : { with: options.derive.key ?? null },
  });
  const entry = readEntry(dir, key.id);
  const payload = entry === undefined ? undefined : decodeEntry(entry, key.text);
  const cached = payload === undefined ? undefined : restoreSnapshot(payload, root, options.commit);
  if (cached) return { result: cached.result, derived: cached.derived as T | undefined, cache: 'hit' };

  const result = await validate();
  const derived = derive(result);
  let snapshot: Buffer | undefined;
  try {
    snapshot = takeSnapshot(result, derived);
  } catch {
    snapshot = undefined; // holds something v8 cannot serialize: loaded each time
  }
  if (snapshot) writeEntry(dir, key.id, encodeEntry(key.text, snapshot));
  return { result, derived, cache: 'miss' };
}
