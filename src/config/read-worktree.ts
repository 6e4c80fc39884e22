/** Reads the YAML files of a config repo's working tree (synchronously: many small files). */
import { type Dirent, readdirSync, readFileSync, readlinkSync, realpathSync, statSync } from 'node:fs';
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

  const readOne = (abs: string, rel: string) => {
    try {
      const size = statSync(abs).size;
      if (size > maxFileBytes) diagnostics.push(tooLarge(rel, size, maxFileBytes));
      else {
        const file = { path: rel, text: decodeText(readFileSync(abs)) };
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
