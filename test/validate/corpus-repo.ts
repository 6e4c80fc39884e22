/**
 * Builds a config repo for a corpus case: the valid base repo, then the case's overlay files, then
 * what `case.json` asks for (files removed, symlinks, generated oversized or deeply nested files).
 */
import {
  cpSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
export const BASE_REPO = join(FIXTURES, 'valid', 'base');
const CASE_FILES = new Set(['expected.txt', 'case.json']);

export interface CaseSetup {
  /** Start from an empty directory instead of the base repo. */
  empty?: boolean;
  /** Base files to delete. */
  remove?: string[];
  /** path → link target, as written. */
  symlinks?: Record<string, string>;
  /** Files written next to the repo (outside it), for symlinks to point at: path → content. */
  outside?: Record<string, string>;
  /** path → size in bytes of a generated YAML file (a comment padded to size). */
  sizedFiles?: Record<string, number>;
  /** path → file text from pieces: strings as they are, `[text, n]` as text repeated n times. */
  generated?: Record<string, (string | [string, number])[]>;
}

export function readSetup(caseDir: string): CaseSetup {
  try {
    return JSON.parse(readFileSync(join(caseDir, 'case.json'), 'utf8')) as CaseSetup;
  } catch {
    return {};
  }
}

function overlay(from: string, to: string, top = from) {
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const src = join(from, entry.name);
    if (from === top && CASE_FILES.has(entry.name)) continue;
    if (entry.isDirectory()) overlay(src, join(to, entry.name), top);
    else {
      mkdirSync(to, { recursive: true });
      cpSync(src, join(to, entry.name));
    }
  }
}

export function buildCaseRepo(caseDir: string, repo: string): void {
  const setup = readSetup(caseDir);
  mkdirSync(repo, { recursive: true });
  if (!setup.empty) cpSync(BASE_REPO, repo, { recursive: true });
  for (const path of setup.remove ?? []) rmSync(join(repo, path), { force: true, recursive: true });
  overlay(caseDir, repo);
  for (const [path, text] of Object.entries(setup.outside ?? {})) {
    mkdirSync(dirname(join(repo, '..', path)), { recursive: true });
    writeFileSync(join(repo, '..', path), text);
  }
  for (const [path, target] of Object.entries(setup.symlinks ?? {})) {
    mkdirSync(dirname(join(repo, path)), { recursive: true });
    symlinkSync(target, join(repo, path));
  }
  for (const [path, pieces] of Object.entries(setup.generated ?? {})) {
    const text = pieces.map((p) => (typeof p === 'string' ? p : p[0].repeat(p[1]))).join('');
    mkdirSync(dirname(join(repo, path)), { recursive: true });
    writeFileSync(join(repo, path), text);
  }
  for (const [path, size] of Object.entries(setup.sizedFiles ?? {})) {
    const head = '# padding\n';
    writeFileSync(join(repo, path), head + '#'.repeat(Math.max(0, size - head.length - 1)) + '\n');
  }
}

/** Every path under `dir` with its size, mtime and kind: equal snapshots mean nothing was written. */
export function snapshot(dir: string): string {
  const lines: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(d, entry.name);
      if (entry.isSymbolicLink()) lines.push(`${relative(dir, p)} -> link`);
      else if (entry.isDirectory()) {
        lines.push(`${relative(dir, p)}/`);
        walk(p);
      } else {
        const st = statSync(p);
        lines.push(
          `${relative(dir, p)} ${st.size} ${st.mtimeMs} ${readFileSync(p).toString('base64').length}`,
        );
      }
    }
  };
  walk(dir);
  return lines.join('\n');
}
