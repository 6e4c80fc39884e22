/**
 * The key of a cached validation result: everything its `{ config, diagnostics }` depends on.
 * Pure. Why these and nothing else is argued in validate-revision.ts.
 */
import { createHash } from 'node:crypto';

export interface CacheKeyParts {
  /** productBuildId(): the code, schemas, built-in policies and library versions. */
  buildId: string;
  /** The tree of the commit: its content, whatever commit (a report commit, a rebase) points at it. */
  tree: string;
  /** Absolute path of the work tree (ConfigSet.root). */
  root: string;
  maxFileBytes: number;
  maxTotalBytes: number;
  /** What the derived value depends on besides the config (RevisionValidationOptions.derive.key). */
  derived: unknown;
}

export interface CacheKey {
  /** The full key, stored in the entry and compared on read. */
  text: string;
  /** sha256 of `text`, hex: the entry's file name. */
  id: string;
}

export function cacheKey(parts: CacheKeyParts): CacheKey {
  const text = JSON.stringify({
    source: 'revision',
    build: parts.buildId,
    tree: parts.tree,
    root: parts.root,
    maxFileBytes: parts.maxFileBytes,
    maxTotalBytes: parts.maxTotalBytes,
    derived: parts.derived ?? null,
  });
  return { text, id: createHash('sha256').update(text).digest('hex') };
}
