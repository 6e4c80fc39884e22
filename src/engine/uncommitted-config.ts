/**
 * `plan`, `apply`, `reconcile` and `drift` read the desired state at the last committed config
 * revision, never the working tree (DESIGN.md §3: desired state is what git holds). Someone who
 * edits YAML and runs `plan` would otherwise see no change and not know why: every config file
 * that differs between the working tree and that revision becomes a warning saying so.
 */

import { readWorktree } from '../config/read-worktree.js';
import { DEFAULT_MAX_FILE_BYTES, isResourceFile } from '../config/repo-layout.js';
import type { SourceFile } from '../core/config-set.js';
import type { Diagnostic } from '../core/diagnostics.js';
import { provablyClean } from './clean-worktree.js';

const RULE = 'uncommitted';

function resourceTexts(files: readonly SourceFile[]): Map<string, string> {
  return new Map(files.filter((f) => isResourceFile(f.path, f.text)).map((f) => [f.path, f.text]));
}

/**
 * Warnings for the config files of `root`'s working tree that differ from `committed` (the files
 * read at `revision`). Reads nothing else; a working tree that cannot be read yields none.
 */
export function uncommittedConfig(
  root: string,
  committed: readonly SourceFile[],
  revision: string,
  maxFileBytes = DEFAULT_MAX_FILE_BYTES,
): Diagnostic[] {
  // Git's index vouches for files it saw unchanged: nothing to read, nothing to warn about.
  if (provablyClean(root, committed, maxFileBytes)) return [];
  const at = revision.slice(0, 12);
  const uses = `plan, apply and reconcile use the config committed at ${at}; commit this to use it`;
  const before = resourceTexts(committed);
  const out: Diagnostic[] = [];
  const warn = (file: string, message: string) =>
    out.push({ file, line: 1, col: 1, severity: 'warning', message, rule: RULE });
  // Each working-tree file is compared as it is read and only its path kept: holding every text
  // of a 10,000-server repo a second time was ~10 MiB that outlived the young generation.
  const now = new Set<string>();
  try {
    readWorktree(root, maxFileBytes, ({ path, text }) => {
      if (!isResourceFile(path, text)) return;
      now.add(path);
      const old = before.get(path);
      if (old === undefined) warn(path, `not committed: ${uses}`);
      else if (old !== text) warn(path, `changed since the last commit: ${uses}`);
    });
  } catch {
    return [];
  }
  for (const path of before.keys()) {
    if (!now.has(path)) warn(path, `deleted but not committed: ${uses}`);
  }
  return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}
