import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { readWorktree } from '../../src/config/read-worktree.js';
import { McpGitopsError } from '../../src/core/errors.js';

test('a config repo root that cannot be listed is an I/O error naming it, not an internal error', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-worktree-root-'));
  try {
    // Root reads every folder, so the unreadable root is played by a file: readdir fails all the same.
    const notADir = path.join(dir, 'repo');
    fs.writeFileSync(notADir, '');
    assert.throws(
      () => readWorktree(notADir, 1 << 20),
      (err: unknown) =>
        err instanceof McpGitopsError &&
        err.code === 'ERR_IO' &&
        err.message === `cannot read the config repo ${notADir}: ENOTDIR`,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
