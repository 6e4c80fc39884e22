/**
 * Reads the YAML files of a config repo from the git index (`--staged`) or from a commit, through
 * isomorphic-git. Same rules as the working tree: size limit, symlinks that leave the repo refused.
 */
import fs from 'node:fs';
import { posix } from 'node:path';
import type { WalkerEntry } from 'isomorphic-git';
import type { Diagnostic } from '../core/diagnostics.js';
import { McpGitopsError } from '../core/errors.js';
import { git } from '../git/iso-git.js';
import { decodeText, type RawFile, type ReadResult, symlinkEscape, tooLarge } from './raw-file.js';
import { comparePaths, isSkippedDir, isYamlPath } from './repo-layout.js';

const SYMLINK_MODE = 0o120000;

function escapesRepo(linkPath: string, target: string): boolean {
  if (posix.isAbsolute(target)) return true;
  const resolved = posix.normalize(posix.join(posix.dirname(linkPath), target));
  return resolved === '..' || resolved.startsWith('../');
}

/** `oid` set: the tree of that commit; unset: the index. */
export async function readGit(dir: string, maxFileBytes: number, oid?: string): Promise<ReadResult> {
  const files: RawFile[] = [];
  const diagnostics: Diagnostic[] = [];
  const cache = {};
  const walker = oid === undefined ? git.STAGE() : git.TREE({ ref: oid });

  // Index entries carry no content (isomorphic-git's STAGE walker): read their blob by oid.
  const content = async (entry: WalkerEntry): Promise<Uint8Array> =>
    (await entry.content()) ?? (await git.readBlob({ fs, dir, oid: await entry.oid(), cache })).blob;

  const visit = async (path: string, entry: WalkerEntry): Promise<boolean> => {
    const type = await entry.type();
    if (type === 'tree') return !isSkippedDir(path);
    if (type !== 'blob') return false;
    const mode = await entry.mode();
    if ((mode & 0o170000) === SYMLINK_MODE) {
      const link = decodeText(await content(entry));
      if (escapesRepo(path, link)) diagnostics.push(symlinkEscape(path, link));
      return false;
    }
    if (!isYamlPath(path)) return false;
    const bytes = await content(entry);
    if (bytes.byteLength > maxFileBytes) diagnostics.push(tooLarge(path, bytes.byteLength, maxFileBytes));
    else files.push({ path, text: decodeText(bytes) });
    return false;
  };

  try {
    await git.walk({
      fs,
      dir,
      cache,
      trees: [walker],
      map: async (path, [entry]) => {
        if (path === '.') return true;
        if (!entry) return null;
        return (await visit(path, entry)) ? true : null;
      },
    });
  } catch (err) {
    throw new McpGitopsError(
      'ERR_GIT',
      `cannot read the config repo from ${oid === undefined ? 'the git index' : `commit ${oid}`}: ${err instanceof Error ? err.message : String(err)}`,
      { hint: `check that ${dir} is a git work tree` },
    );
  }
  files.sort((a, b) => comparePaths(a.path, b.path));
  return { files, diagnostics };
}
