/** Reading a revision is bounded per file and in all, from object headers, with a diagnostic at the file. */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { readGit } from '../../src/config/read-git.js';
import { createTempRepo } from '../helpers/temp-repo.js';

const repo = createTempRepo('mcp-gitops-readgit-');
after(() => repo.cleanup());

test('a file over the per-file limit and files past the total are refused where they are', async () => {
  repo.write('servers/a.yaml', `a: ${'x'.repeat(100)}\n`);
  repo.write('servers/b.yaml', `b: ${'x'.repeat(100)}\n`);
  repo.write('servers/c.yaml', `c: ${'x'.repeat(100)}\n`);
  repo.write('servers/huge.yaml', `h: ${'x'.repeat(5000)}\n`);
  const head = repo.commitAll('files');
  const read = await readGit(repo.dir, { maxFileBytes: 1000, maxTotalBytes: 250 }, head);
  assert.deepEqual(
    read.files.map((f) => f.path),
    ['servers/a.yaml', 'servers/b.yaml'],
  );
  assert.deepEqual(read.diagnostics.map((d) => `${d.file}:${d.line}:${d.rule}`).sort(), [
    'servers/c.yaml:1:config-too-large',
    'servers/huge.yaml:1:file-too-large',
  ]);
  assert.match(
    read.diagnostics.find((d) => d.rule === 'file-too-large')?.message ?? '',
    /file is 5004 bytes/,
  );
});
