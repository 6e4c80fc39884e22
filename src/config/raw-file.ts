/** A YAML file as read from the work tree, the index or a revision, before parsing. */
import type { Diagnostic } from '../core/diagnostics.js';

export interface RawFile {
  /** Repo-relative, POSIX separators. */
  path: string;
  text: string;
  /** The blob's id, when read from git (a revision or the index): the bytes `text` was decoded from. */
  oid?: string;
}

export interface ReadResult {
  files: RawFile[];
  /** Files refused before parsing: too large, symlinks leaving the repo. */
  diagnostics: Diagnostic[];
}

export function fileDiagnostic(path: string, message: string, rule: string): Diagnostic {
  return { file: path, line: 1, col: 1, severity: 'error', message, rule };
}

export function tooLarge(path: string, bytes: number, limit: number): Diagnostic {
  return fileDiagnostic(
    path,
    `file is ${bytes} bytes, over the limit of ${limit} bytes: split it into smaller files`,
    'file-too-large',
  );
}

export function symlinkEscape(path: string, target: string): Diagnostic {
  return fileDiagnostic(
    path,
    `symlink points outside the config repo (to ${target}): git does not carry what it points to; copy the file into the repo`,
    'symlink-escape',
  );
}

export function decodeText(bytes: Uint8Array): string {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
