/** Static links and files: the same name maps to the same file from any depth, and no name leaves the folder. */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { sitePath, staticFile, staticLinks } from '../../src/ui/links.js';

test('plain names are kept; a page links to another relatively', () => {
  assert.equal(staticFile('/'), 'index.html');
  assert.equal(staticFile(sitePath('env', 'dev', 'server', 'memory')), 'env/dev/server/memory/index.html');
  const from = sitePath('env', 'dev', 'server', 'memory');
  assert.equal(staticLinks(from).page('/history'), '../../../../history/index.html');
  assert.equal(staticLinks('/').page(sitePath('env', 'dev')), './env/dev/index.html');
  assert.equal(staticLinks('/drift').asset('ui.0123456789ab.css'), '../assets/ui.0123456789ab.css');
});

test('hostile names become hashed folder names that stay inside the export', () => {
  for (const name of ['..', '.', '../../etc', 'a/b', 'x\u202Ey', '<script>', 'a b', '%2e%2e']) {
    const file = staticFile(sitePath('env', 'dev', 'server', name));
    const resolved = path.posix.normalize(`/out/${file}`);
    assert.ok(resolved.startsWith('/out/env/dev/server/'), `${JSON.stringify(name)} → ${file}`);
    assert.match(file, /^env\/dev\/server\/[A-Za-z0-9._-]+\/index\.html$/);
    // The link from any page resolves to that same file.
    const href = staticLinks('/history').page(sitePath('env', 'dev', 'server', name));
    assert.equal(path.posix.normalize(`/out/history/${href}`), `/out/${file}`);
  }
  assert.notEqual(staticFile(sitePath('env', 'a b')), staticFile(sitePath('env', 'a_b')));
});
