/**
 * The working tree's YAML files read back exactly, whatever order the walk meets them in: files
 * larger than the reader's first buffer, smaller ones after them (the buffer is reused), empty
 * ones, a byte-order mark, and a file over the limit reported with its size and never read.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { readWorktree } from '../../src/config/read-worktree.js';

test('files of every size read back exactly through one reused buffer; an oversized one is reported', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-worktree-files-'));
  try {
    const line = (i: number) => `key${i}: value ${i}\n`;
    const text = (lines: number) => Array.from({ length: lines }, (_, i) => line(i)).join('');
    const written: Record<string, string> = {
      'a.yaml': text(6000), // ~100 KB: past the first buffer
      'b.yaml': 'x: 1\n',
      'servers/c.yaml': text(4000),
      'servers/d.yaml': '',
      'servers/e.yaml': 'y: 2\n',
      'z.yml': text(10),
    };
    for (const [rel, content] of Object.entries(written)) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), content);
    }
    fs.writeFileSync(path.join(dir, 'bom.yaml'), `\ufeffbom: true\n`);
    fs.writeFileSync(path.join(dir, 'huge.yaml'), 'h'.repeat(300_000));
    const { files, diagnostics } = readWorktree(dir, 200_000);
    assert.deepEqual(
      files.map((f) => f.path),
      ['a.yaml', 'b.yaml', 'bom.yaml', 'servers/c.yaml', 'servers/d.yaml', 'servers/e.yaml', 'z.yml'],
    );
    for (const file of files) {
      assert.equal(file.text, file.path === 'bom.yaml' ? 'bom: true\n' : written[file.path], file.path);
    }
    assert.deepEqual(
      diagnostics.map((d) => [d.file, d.rule, d.message]),
      [
        [
          'huge.yaml',
          'file-too-large',
          'file is 300000 bytes, over the limit of 200000 bytes: split it into smaller files',
        ],
      ],
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
