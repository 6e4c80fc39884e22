/**
 * Reads the YAML files of a config repo's working tree (synchronously: many small files). Each
 * file is opened once, its size checked on the open file, and read into one buffer that the walk
 * reuses: no stat by path before the read and no buffer per file, which for 10,000 files was
 * 10,000 system calls and 10,000 short-lived native buffers.
 */
import {
  closeSync,
  type Dirent,
  fstatSync,
  openSync,
  readdirSync,
  readlinkSync,
  readSync,
  realpathSync,
  statSync,
} from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Diagnostic } from '../core/diagnostics.js';
import { McpGitopsError } from '../core/errors.js';
import {
  decodeText,
  fileDiagnostic,
  type RawFile,
  type ReadResult,
  symlinkEscape,
  tooLarge,
} from './raw-file.js';
import { comparePaths, isSkippedDir, isYamlPath } from './repo-layout.js';

/** The reused read buffer's first size; it grows to the largest file read (at most the file limit). */
const INITIAL_BUFFER = 64 * 1024;

/** Reads up to `size` bytes of `fd` into the start of `buffer`; returns how many it got (less only at end of file). */
function readAll(fd: number, buffer: Buffer, size: number): number {
  let at = 0;
  while (at < size) {
    const n = readSync(fd, buffer, at, size - at, at);
    if (n === 0) break;
    at += n;
  }
  return at;
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/**
 * The YAML files under `root`, sorted by path. With `onFile`, each file is handed to it as it is
 * read (in walk order) and not kept: `files` comes back empty, so a caller that only compares
 * (the uncommitted-config warning) never holds every text of a big repo at once.
 */
export function readWorktree(
  root: string,
  maxFileBytes: number,
  onFile?: (file: RawFile) => void,
): ReadResult {
  const realRoot = realpathSync(root);
  const files: RawFile[] = [];
  const diagnostics: Diagnostic[] = [];

  const unreadable = (rel: string, err: unknown) =>
    diagnostics.push(
      fileDiagnostic(
        rel,
        `cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
        'file-unreadable',
      ),
    );

  let buffer = Buffer.allocUnsafeSlow(INITIAL_BUFFER);
  const readOne = (abs: string, rel: string) => {
    try {
      let fd: number;
      try {
        fd = openSync(abs, 'r');
      } catch (err) {
        // Not readable: a file over the limit is still reported as too large, as a stat shows.
        const size = statSync(abs).size;
        if (size > maxFileBytes) diagnostics.push(tooLarge(rel, size, maxFileBytes));
        else throw err;
        return;
      }
      let text: string | undefined;
      try {
        const size = fstatSync(fd).size;
        if (size > maxFileBytes) diagnostics.push(tooLarge(rel, size, maxFileBytes));
        else {
          if (size > buffer.length) buffer = Buffer.allocUnsafeSlow(size);
          text = decodeText(buffer.subarray(0, readAll(fd, buffer, size)));
        }
      } finally {
        closeSync(fd);
      }
      if (text !== undefined) {
        const file = { path: rel, text };
        if (onFile) onFile(file);
        else files.push(file);
      }
    } catch (err) {
      unreadable(rel, err);
    }
  };

  // A symlink is never followed: one inside the repo is skipped (its target is read under its own
  // path), one whose target leaves the repo is an error, since git would not carry what it reads.
  const checkSymlink = (abs: string, rel: string) => {
    const link = readlinkSync(abs);
    let target: string;
    let isDir = false;
    try {
      target = realpathSync(abs);
      isDir = statSync(target).isDirectory();
    } catch {
      target = resolve(dirname(abs), link);
    }
    if ((isDir || isYamlPath(rel)) && !isInside(realRoot, target) && !isInside(root, target)) {
      diagnostics.push(symlinkEscape(rel, link));
    }
  };

  const walk = (dir: string, prefix: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      if (prefix === '') {
        const code = (err as NodeJS.ErrnoException).code;
        throw new McpGitopsError(
          'ERR_IO',
          `cannot read the config repo ${dir}: ${code ?? (err as Error).message}`,
          {
            hint:
              code === 'EACCES' || code === 'EPERM'
                ? 'run as a user who can read it, or give this user read access (a container runs as uid 10001)'
                : undefined,
            cause: err,
          },
        );
      }
      unreadable(prefix, err);
      return;
    }
    for (const entry of entries) {
      const rel = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
      const abs = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!isSkippedDir(rel)) walk(abs, rel);
      } else if (entry.isSymbolicLink()) {
        checkSymlink(abs, rel);
      } else if (entry.isFile() && isYamlPath(entry.name)) {
        readOne(abs, rel);
      }
    }
  };
  walk(root, '');
  files.sort((a, b) => comparePaths(a.path, b.path));
  return { files, diagnostics };
}
