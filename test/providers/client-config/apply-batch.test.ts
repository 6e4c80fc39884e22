/**
 * Apply that batches (issue 16), through the real provider on real files: one batch of many changes
 * reads and writes each client file once, keeps one backup per file and writes the inventory once,
 * and leaves exactly the files that applying the same changes one by one leaves. A change that
 * fails in a batch leaves nothing behind; a file that cannot be written fails exactly the changes
 * that edited it.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import type { Change } from '../../../src/core/plan.js';
import type { ServerSpec } from '../../../src/core/resources.js';
import { LocalHost } from '../../../src/hosts/local-host.js';
import type { WriteOptions, WriteResult } from '../../../src/hosts/types.js';
import { clientConfigProvider as provider } from '../../../src/providers/client-config/index.js';
import { change, desired, type Fixture, listFiles, makeFixture } from './fixture.js';

const STATE = '/.local/state/mcp-gitops/';
const CLIENTS = ['claude-code', 'cursor', 'vscode', 'codex', 'gemini-cli'];

/** The real local host, counting reads and writes per path; writes to `failWrites` paths fail. */
class CountingHost extends LocalHost {
  readonly reads = new Map<string, number>();
  readonly writes = new Map<string, number>();
  readonly failWrites = new Set<string>();

  override async readFile(p: string): Promise<string | undefined> {
    this.reads.set(p, (this.reads.get(p) ?? 0) + 1);
    return super.readFile(p);
  }

  override async writeFile(p: string, data: string, options?: WriteOptions): Promise<WriteResult> {
    this.writes.set(p, (this.writes.get(p) ?? 0) + 1);
    if (this.failWrites.has(p)) throw new Error(`cannot write ${p}: disk full (test)`);
    return super.writeFile(p, data, options);
  }
}

function counting(fx: Fixture): CountingHost {
  const host = new CountingHost({ home: fx.home });
  fx.ctx.host = host;
  return host;
}

const spec = (i: number, version = '1.0.0'): ServerSpec => ({
  transport: 'stdio',
  package: { registryType: 'npm', identifier: `@example/mcp-${i}`, version },
  env: { LOG_LEVEL: 'info' },
});

async function runBatch(fx: Fixture, changes: Change[]) {
  const batch = await provider.openBatch!(fx.ctx);
  const results = [];
  for (const c of changes) results.push(await batch.apply(c));
  const failed = await batch.commit();
  return results.map((r) =>
    failed.has(r.server) ? { ...r, outcome: 'failed', message: failed.get(r.server) } : r,
  );
}

/** Every file under the home except backups (their names carry a time), with its text (home as ~). */
async function snapshot(fx: Fixture): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const rel of await listFiles(fx.home)) {
    if (rel.includes('/backups/')) continue;
    out[rel] = (await fx.read(rel)).replaceAll(fx.home, '~');
  }
  return out;
}

const first = Array.from({ length: 12 }, (_, i) => change('create', desired(`srv-${i}`, spec(i))));
const second: Change[] = [
  ...Array.from({ length: 5 }, (_, i) => change('update', desired(`srv-${i}`, spec(i, '2.0.0')))),
  change('delete', 'srv-10'),
  change('delete', 'srv-11'),
  change('create', desired('srv-new', spec(99))),
];

describe('client-config: apply that batches', () => {
  test('one read and one write per client file per batch, one backup each, one inventory write; same files as one by one', async (t) => {
    const one = await makeFixture({ clients: CLIENTS });
    const many = await makeFixture({ clients: CLIENTS });
    t.after(one.cleanup);
    t.after(many.cleanup);
    for (const c of [...first, ...second]) {
      const r = await provider.apply(one.ctx, c);
      assert.equal(r.outcome, 'applied', r.message);
    }

    for (const changes of [first, second]) {
      const host = counting(many);
      const results = await runBatch(many, changes);
      assert.deepEqual(
        results.map((r) => [r.server, r.outcome]),
        changes.map((c) => [c.server, 'applied']),
      );
      const clientFiles = [...host.writes.keys()].filter((p) => !p.includes(STATE));
      assert.equal(clientFiles.length, CLIENTS.length, clientFiles.join('\n'));
      for (const p of clientFiles) {
        assert.equal(host.writes.get(p), 1, `${p} written once`);
        assert.equal(host.reads.get(p), 1, `${p} read once`);
      }
      const state = [...host.writes.entries()].filter(([p]) => p.includes(STATE));
      const inventory = state.filter(([p]) => p.includes('/inventory/'));
      assert.deepEqual(
        inventory.map(([, n]) => n),
        [1],
        'the inventory is written once',
      );
      // Every client file existed: one backup and one index write per file, plus the inventory's.
      const backups = state.filter(([p]) => p.endsWith('.bak'));
      const indexes = state.filter(([p]) => p.endsWith('/index.json'));
      assert.equal(backups.length, indexes.length);
      assert.ok(backups.length <= CLIENTS.length + 1, `${backups.length} backups`);
      assert.ok(backups.every(([, n]) => n === 1));
    }
    assert.deepEqual(await snapshot(many), await snapshot(one));
  });

  test("a change that fails in a batch leaves nothing behind; the batch's other changes apply", async (t) => {
    const fx = await makeFixture({ clients: ['claude-code', 'cursor', 'vscode'] });
    t.after(fx.cleanup);
    const mine = desired('mine', spec(1));
    const results = await runBatch(fx, [
      change('create', desired('a', spec(2))),
      change('create', mine),
      change('create', desired('b', spec(3))),
    ]);
    assert.deepEqual(
      results.map((r) => r.outcome),
      ['applied', 'failed', 'applied'],
    );
    assert.match(String(results[1]!.message), /already has a server "mine" that mcp-gitops does not manage/);
    const mcp = JSON.parse(await fx.read('src/app/.mcp.json')) as { mcpServers: Record<string, unknown> };
    assert.deepEqual(Object.keys(mcp.mcpServers).sort(), ['a', 'b', 'mine']);
    assert.deepEqual(mcp.mcpServers.mine, { command: 'my-server', args: ['--flag'] }, "the user's entry");
    const inventory = JSON.parse(await fx.read('.local/state/mcp-gitops/inventory/dev/laptop.json')) as {
      servers: Record<string, unknown>;
    };
    assert.deepEqual(Object.keys(inventory.servers), ['a', 'b']);
  });

  test('a file that cannot be written fails exactly the changes that edited it; their inventory records stay', async (t) => {
    const fx = await makeFixture({ clients: ['claude-code'] });
    t.after(fx.cleanup);
    const kept = await runBatch(fx, [
      change('create', desired('x', spec(1))),
      change('create', desired('z', spec(3))),
    ]);
    assert.deepEqual(
      kept.map((r) => r.outcome),
      ['applied', 'applied'],
    );
    fx.target.settings.clients = ['claude-code', 'cursor'];
    const host = counting(fx);
    host.failWrites.add(path.join(fx.home, 'src/app/.cursor/mcp.json'));
    // y goes into both files; deleting x only edits .mcp.json.
    const results = await runBatch(fx, [change('create', desired('y', spec(2))), change('delete', 'x')]);
    assert.equal(results[0]!.outcome, 'failed');
    assert.match(String(results[0]!.message), /\.cursor\/mcp\.json: disk full \(test\)/);
    assert.equal(results[1]!.outcome, 'applied', results[1]!.message);
    const inventory = JSON.parse(
      await fs.readFile(path.join(fx.home, '.local/state/mcp-gitops/inventory/dev/laptop.json'), 'utf8'),
    ) as { servers: Record<string, unknown> };
    assert.deepEqual(Object.keys(inventory.servers), ['z'], 'x removed, y not recorded');
  });
});
