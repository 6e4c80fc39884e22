import assert from 'node:assert/strict';
import { test } from 'node:test';
import { watchPaths } from '../../src/watch/watch-paths.js';

const paths = watchPaths('/repo', () => 'out/reports');

test('config files are watched; .git (but HEAD and branch refs), reports and node_modules are not', () => {
  const watched = ['/repo', '/repo/servers', '/repo/servers/a.yaml', '/repo/mcp-gitops.yaml', '/repo/out'];
  const gitWatched = ['/repo/.git', '/repo/.git/HEAD', '/repo/.git/packed-refs', '/repo/.git/refs'];
  const branch = ['/repo/.git/refs/heads', '/repo/.git/refs/heads/main', '/repo/.git/refs/heads/feature/x'];
  for (const p of [...watched, ...gitWatched, ...branch]) assert.equal(paths.ignored(p), false, p);
  const ignored = [
    '/repo/.git/objects',
    '/repo/.git/index',
    '/repo/.git/refs/tags',
    '/repo/.git/logs',
    '/repo/out/reports',
    '/repo/out/reports/dev/laptop.json',
    '/repo/node_modules',
    '/repo/node_modules/x/package.json',
  ];
  for (const p of ignored) assert.equal(paths.ignored(p), true, p);
});

test('an event under .git means HEAD may have moved; anything else is a config edit', () => {
  assert.equal(paths.kind('/repo/.git/refs/heads/main'), 'git');
  assert.equal(paths.kind('/repo/.git/HEAD'), 'git');
  assert.equal(paths.kind('/repo/servers/a.yaml'), 'config');
  assert.equal(paths.kind('/repo/.github/workflows/ci.yaml'), 'config');
});
