/**
 * Candidate paths: a client that moved its file is written where the user's file already is (the
 * first candidate that exists on the host), else at the first candidate; the provider's apply and
 * observe both resolve the file that way.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { getClient } from '../../src/clients/registry.js';
import type { ClientAdapter } from '../../src/clients/types.js';
import { LocalHost } from '../../src/hosts/local-host.js';
import { resolveClientPath } from '../../src/providers/client-config/client-path.js';
import { clientConfigProvider as provider } from '../../src/providers/client-config/index.js';
import { change, desired, makeFixture } from '../providers/client-config/fixture.js';

const memory = desired('memory', {
  transport: 'stdio',
  package: { registryType: 'npm', identifier: '@modelcontextprotocol/server-memory', version: '2026.8.31' },
});

/** Cursor, for this test, as if it had moved its file from `old.json` to `new.jsonc`. */
function moved(t: { after(fn: () => void): void }): ClientAdapter {
  const cursor = getClient('cursor');
  cursor.candidatePaths = (_target, ctx) => [
    path.join(ctx.home, '.cursor', 'new.jsonc'),
    path.join(ctx.home, '.cursor', 'old.json'),
  ];
  t.after(() => {
    delete cursor.candidatePaths;
  });
  return cursor;
}

test('the first candidate that exists wins, else the first; without candidates, path()', async (t) => {
  const fx = await makeFixture({ clients: ['cursor'], projectDir: undefined }, {});
  t.after(fx.cleanup);
  const host = new LocalHost({ home: fx.home });
  const ctx = { home: fx.home };
  const cursor = getClient('cursor');
  assert.equal(await resolveClientPath(cursor, {}, ctx, host), fx.file('.cursor/mcp.json'));
  moved(t);
  assert.equal(await resolveClientPath(cursor, {}, ctx, host), fx.file('.cursor/new.jsonc'));
  const fx2 = await makeFixture({}, { '.cursor/old.json': '{}\n' });
  t.after(fx2.cleanup);
  const host2 = new LocalHost({ home: fx2.home });
  assert.equal(await resolveClientPath(cursor, {}, { home: fx2.home }, host2), fx2.file('.cursor/old.json'));
});

test('apply writes into the candidate file the user already has, and observe reads it there', async (t) => {
  moved(t);
  const old = '{\n  // mine\n  "mcpServers": {}\n}\n';
  const fx = await makeFixture({ clients: ['cursor'], projectDir: undefined }, { '.cursor/old.json': old });
  t.after(fx.cleanup);
  const created = await provider.apply(fx.ctx, change('create', memory));
  assert.equal(created.outcome, 'applied', created.message);
  assert.match(await fx.read('.cursor/old.json'), /\/\/ mine[\s\S]*"memory"/);
  await assert.rejects(fx.read('.cursor/new.jsonc'), /ENOENT/, 'no second file is created');
  const observed = await provider.observe(fx.ctx);
  const server = observed.servers.find((s) => s.name === 'memory');
  assert.ok(server?.actual?.cursor, 'observe finds the entry in the candidate file');
});
