/**
 * Housekeeping of the process provider (pidfile supervisor, real `npm install`s from a loopback
 * registry): ten version bumps leave the current version and the two before it installed, plus a
 * version another environment still runs; stale temporary files and unfinished installs go, and
 * every removal is named in the change's message. An unknown version fails with npm's reason.
 * A server that writes a lot keeps its log under the rotation size.
 */
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ChangeResult } from '../../../src/core/report.js';
import { processProvider } from '../../../src/providers/process/index.js';
import type { ProviderContext } from '../../../src/providers/types.js';
import { freePort, tempDir, waitFor } from '../../helpers/mcp-servers.js';
import { change, desiredServer, killServer, processContext, serverDir } from './fixtures.js';
import { type Registry, startRegistry } from './npm-registry.js';

const NAME = 'mcpgt-bumpy';
const VERSIONS = Array.from({ length: 11 }, (_, i) => `1.0.${i}`);
const HOUR_AGO = new Date(Date.now() - 3600_000);

describe('process provider housekeeping: installs, temporary files, logs', () => {
  const cleanups: (() => unknown)[] = [];
  let home: string;
  let baseDir: string;
  let registry: Registry;
  const started: string[] = [];

  before(async () => {
    home = await tempDir({ after: (fn) => cleanups.push(fn) });
    baseDir = join(home, 'mcp');
    registry = await startRegistry(join(home, 'registry'), NAME, VERSIONS);
    cleanups.push(() => registry.stop());
    cleanups.push(registry.use(join(home, 'npm-cache')));
  });
  after(async () => {
    for (const [env, server] of started.map((s) => s.split('/'))) killServer(baseDir, server!, env);
    for (const fn of cleanups.reverse()) await fn();
  });

  const bumpy = async (name: string, version: string) =>
    desiredServer(name, {
      package: { registryType: 'npm', identifier: NAME, version },
      transport: 'streamable-http',
      port: await freePort(),
    });
  const ctxIn = (environment: string): ProviderContext => {
    const ctx = processContext({ home, settings: { baseDir, supervisor: 'pidfile' } });
    return { ...ctx, environment: { ...ctx.environment, name: environment } };
  };
  const installed = () =>
    readdirSync(join(baseDir, 'packages'))
      .filter((d) => d.startsWith(`${NAME}@`))
      .sort((a, b) => Number(a.split('.').pop()) - Number(b.split('.').pop()));

  test('ten version bumps leave the current and the last two versions, and what another environment runs', async () => {
    const prod = ctxIn('prod');
    const pinned = await bumpy('pinned', '1.0.0');
    started.push('prod/pinned');
    const first = await processProvider.apply(prod, change('create', 'pinned', pinned));
    assert.equal(first.outcome, 'applied', first.message);

    const dev = ctxIn('dev');
    const results: ChangeResult[] = [];
    started.push('dev/bumpy');
    let desired = await bumpy('bumpy', '1.0.0');
    results.push(await processProvider.apply(dev, change('create', 'bumpy', desired)));
    // Left behind by interrupted work an hour ago: a temp file of an atomic write, an unfinished install.
    const stale = join(serverDir(baseDir, 'bumpy'), '.spec.json.4242.0123abcd.tmp');
    const fresh = join(serverDir(baseDir, 'bumpy'), '.spec.json.4243.4567abcd.tmp');
    const unfinished = join(baseDir, 'packages', `${NAME}@0.9.0`);
    mkdirSync(unfinished, { recursive: true });
    for (const file of [stale, fresh]) writeFileSync(file, '{}');
    utimesSync(stale, HOUR_AGO, HOUR_AGO);
    utimesSync(unfinished, HOUR_AGO, HOUR_AGO);
    for (const version of VERSIONS.slice(1)) {
      desired = { ...(await bumpy('bumpy', version)), name: 'bumpy' };
      results.push(await processProvider.apply(dev, change('update', 'bumpy', desired)));
    }
    for (const r of results) assert.equal(r.outcome, 'applied', r.message);

    assert.deepEqual(installed(), [`${NAME}@1.0.0`, `${NAME}@1.0.8`, `${NAME}@1.0.9`, `${NAME}@1.0.10`]);
    // Every removal is named in the message of the change that made it.
    const removedInstalls = results.flatMap(
      (r) => /removed old installs: ([^;]+)/.exec(r.message ?? '')?.[1]?.split(', ') ?? [],
    );
    assert.deepEqual(
      removedInstalls,
      [`${NAME}@0.9.0 (incomplete install)`, ...VERSIONS.slice(1, 8).map((v) => `${NAME}@${v}`)],
      results.map((r) => r.message).join('\n'),
    );
    assert.ok(results.some((r) => r.message?.includes(`removed stale temporary files: ${stale}`)));
    assert.equal(existsSync(stale), false);
    assert.equal(existsSync(fresh), true, 'a young temp file may belong to work in progress');
    assert.deepEqual(
      JSON.parse(readFileSync(join(serverDir(baseDir, 'bumpy'), 'history.json'), 'utf8')).slice(-3),
      VERSIONS.slice(-3).map((v) => `${NAME}@${v}`),
    );
    const observed = await processProvider.observe(dev);
    assert.equal(observed.servers.find((s) => s.name === 'bumpy')?.actual?.version, '1.0.10');
  });

  test("an unknown version fails the install with npm's reason, and leaves nothing behind", async () => {
    const ghost = await bumpy('ghost', '9.9.9');
    const result = await processProvider.apply(ctxIn('dev'), change('create', 'ghost', ghost));
    assert.equal(result.outcome, 'failed');
    assert.match(
      result.message ?? '',
      new RegExp(`^npm could not install ${NAME}@9\\.9\\.9: No matching version found for ${NAME}@9\\.9\\.9`),
    );
    assert.doesNotMatch(result.message ?? '', /not answering MCP|timed out/);
    assert.equal(existsSync(join(baseDir, 'packages', `${NAME}@9.9.9`)), false);
    assert.equal(existsSync(serverDir(baseDir, 'ghost')), false);
  });

  test('a server that writes a lot keeps its log under the rotation size', async (t) => {
    const script = join(home, 'chatty.js');
    writeFileSync(
      script,
      "let i = 0;\nconst pad = 'x'.repeat(200);\nsetInterval(() => { for (let k = 0; k < 50; k++) console.log('line ' + i++ + ' ' + pad); }, 5);\n",
    );
    const maxBytes = 65536;
    const ctx = processContext({ home, settings: { baseDir, supervisor: 'pidfile', logMaxBytes: maxBytes } });
    const chatty = desiredServer('chatty', {
      command: { path: script },
      transport: 'streamable-http',
      port: await freePort(),
    });
    t.after(() => killServer(baseDir, 'chatty'));
    const result = await processProvider.apply(ctx, change('create', 'chatty', chatty));
    assert.equal(result.outcome, 'applied', result.message);
    const log = join(serverDir(baseDir, 'chatty'), 'log');
    const sizes: number[] = [];
    const lastLine = () => {
      const lines = readFileSync(log, 'utf8').trim().split('\n');
      return Number(/^line (\d+)/.exec(lines.at(-1) ?? '')?.[1] ?? 0);
    };
    // Rotation renames the log away and opens a new one: for an instant there is none.
    const whileRotating = <T>(read: () => T): T | undefined => {
      try {
        return read();
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw err;
      }
    };
    // Written: more than six times the limit (each line is 200+ bytes), sampled all along.
    await waitFor(
      () => {
        const size = whileRotating(() => statSync(log).size);
        if (size !== undefined) sizes.push(size);
        return existsSync(`${log}.2`) && (whileRotating(lastLine) ?? 0) > (6 * maxBytes) / 200;
      },
      { timeoutMs: 60_000, intervalMs: 10, what: 'the chatty server to write six times the limit' },
    );
    assert.ok(sizes.length > 5);
    assert.ok(Math.max(...sizes) <= maxBytes, `log grew to ${Math.max(...sizes)} bytes`);
    assert.ok(statSync(`${log}.1`).size <= maxBytes);
    assert.ok(statSync(`${log}.2`).size <= maxBytes);
    assert.equal(existsSync(`${log}.3`), false, 'two old files are kept, no more');
    const deleted = await processProvider.apply(ctx, change('delete', 'chatty'));
    assert.equal(deleted.outcome, 'applied', deleted.message);
  });
});
