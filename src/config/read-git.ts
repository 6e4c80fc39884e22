/**
 * Reads the YAML files of a config repo from a commit or from the git index (`--staged`). Same
 * rules as the working tree: size limit, symlinks that leave the repo refused. Objects are read by
 * the bounded object store (src/git/objects): a file's size comes from its object header and is
 * checked before the blob is inflated, and the YAML read in all is capped too, so a pull request
 * with a huge (or hugely compressible) file, or thousands of them, costs a few header reads.
 */
import fs from 'node:fs';
import { posix } from 'node:path';
import type { Diagnostic } from '../core/diagnostics.js';
import { McpGitopsError } from '../core/errors.js';
import { git } from '../git/iso-git.js';
import { ObjectStore } from '../git/objects/object-store.js';
import { ObjectTooLargeError } from '../git/objects/types.js';
import { commitTree, walkTree } from '../git/objects/walk-tree.js';
import {
  decodeText,
  fileDiagnostic,
  type RawFile,
  type ReadResult,
  symlinkEscape,
  tooLarge,
} from './raw-file.js';
import { comparePaths, DEFAULT_MAX_TOTAL_BYTES, isSkippedDir, isYamlPath } from './repo-layout.js';

const SYMLINK_MODE = 0o120000;
const FILE_TYPE_MASK = 0o170000;
const REGULAR_FILE = 0o100000;
/** Entries of the whole tree (files and folders, YAML or not) a revision may have. */
export const MAX_TREE_ENTRIES = 200_000;

function escapesRepo(linkPath: string, target: string): boolean {
  if (posix.isAbsolute(target)) return true;
  const resolved = posix.normalize(posix.join(posix.dirname(linkPath), target));
  return resolved === '..' || resolved.startsWith('../');
}

export interface ReadGitLimits {
  maxFileBytes: number;
  /** YAML bytes read in all; the files past it are refused. Default 64 MiB. */
  maxTotalBytes?: number;
}

/** `oid` set: the tree of that commit; unset: the index. */
export async function readGit(
  dir: string,
  limits: ReadGitLimits | number,
  oid?: string,
): Promise<ReadResult> {
  const { maxFileBytes, maxTotalBytes = DEFAULT_MAX_TOTAL_BYTES } =
    typeof limits === 'number' ? { maxFileBytes: limits } : limits;
  const files: RawFile[] = [];
  const diagnostics: Diagnostic[] = [];
  let total = 0;
  let overTotal = 0;
  let firstOver: string | undefined;
  let store: ObjectStore | undefined;

  const take = (path: string, mode: number, blob: string) => {
    if ((mode & FILE_TYPE_MASK) === SYMLINK_MODE) {
      const link = decodeText(store!.read(blob, 4096).data);
      if (escapesRepo(path, link)) diagnostics.push(symlinkEscape(path, link));
      return;
    }
    if ((mode & FILE_TYPE_MASK) !== REGULAR_FILE || !isYamlPath(path)) return;
    // One read, bounded by what this file may still take: the store refuses an object over the
    // limit from its header, before inflating it, and says how large it is.
    try {
      const { data } = store!.read(blob, Math.min(maxFileBytes, Math.max(0, maxTotalBytes - total)));
      total += data.length;
      files.push({ path, text: decodeText(data), oid: blob });
    } catch (err) {
      if (!(err instanceof ObjectTooLargeError)) throw err;
      if (err.size > maxFileBytes) diagnostics.push(tooLarge(path, err.size, maxFileBytes));
      else {
        overTotal++;
        firstOver ??= path;
      }
    }
  };

  try {
    store = ObjectStore.open(dir);
    if (oid === undefined) {
      for (const entry of await indexEntries(dir)) take(entry.path, entry.mode, entry.oid);
    } else {
      walkTree(
        store,
        commitTree(store, oid),
        (entry) => {
          if (entry.mode === 0o40000) return !isSkippedDir(entry.path);
          take(entry.path, entry.mode, entry.oid);
          return false;
        },
        MAX_TREE_ENTRIES,
      );
    }
  } catch (err) {
    throw new McpGitopsError(
      'ERR_GIT',
      `cannot read the config repo from ${oid === undefined ? 'the git index' : `commit ${oid}`}: ${err instanceof Error ? err.message : String(err)}`,
      { hint: `check that ${dir} is a git work tree` },
    );
  } finally {
    store?.close();
  }
  if (firstOver !== undefined) {
    diagnostics.push(
      fileDiagnostic(
        firstOver,
        `the YAML files read before this one add up to ${total} bytes; with it they pass the limit of ${maxTotalBytes} bytes for a whole config, so it and ${overTotal - 1} more files were not read: remove generated or unrelated YAML from the repository`,
        'config-too-large',
      ),
    );
  }
  files.sort((a, b) => comparePaths(a.path, b.path));
  return { files, diagnostics };
}

/** The staged files (path, mode, blob id), skipping the folders the loader never reads. */
async function indexEntries(dir: string): Promise<{ path: string; mode: number; oid: string }[]> {
  const out: { path: string; mode: number; oid: string }[] = [];
  await git.walk({
    fs,
    dir,
    trees: [git.STAGE()],
    map: async (path, [entry]) => {
      if (path === '.') return true;
      if (!entry) return null;
      const type = await entry.type();
      if (type === 'tree') return isSkippedDir(path) ? null : true;
      if (type === 'blob') out.push({ path, mode: await entry.mode(), oid: await entry.oid() });
      return null;
    },
  });
  return out;
}
