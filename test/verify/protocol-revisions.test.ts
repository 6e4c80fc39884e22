/**
 * Verification on both protocol revisions, against real servers: a 2026-07-28 server that refuses
 * `initialize` (2.x server SDK, stdio and HTTP) is reached through `server/discover`;
 * server-everything (2025-11-25) through the `initialize` fallback. Each result names the revision,
 * the handshake, who answered and the whole surface (prompts, resource templates). 2025-era servers
 * that ignore or die on the probe still verify, within the deadline.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Endpoint } from '../../src/providers/types.js';
import { verifyServer } from '../../src/verify/verify-server.js';
import {
  freePort,
  serverBin,
  startEverythingHttp,
  stopProcess,
  tempDir,
  waitFor,
} from '../helpers/mcp-servers.js';
import {
  exitingLegacyServerScript,
  modernHttpServerScript,
  modernStdioServerScript,
  silentLegacyServerScript,
} from './modern-server.js';

const stdio = (file: string): Endpoint => ({
  kind: 'stdio',
  command: process.execPath,
  args: [file],
  env: {},
});

describe('verification on both protocol revisions', () => {
  test('a 2026-07-28 stdio server verifies through server/discover, whole surface and identity', async (t) => {
    const dir = await tempDir(t);
    const file = join(dir, 'modern.mjs');
    await writeFile(file, modernStdioServerScript());
    const result = await verifyServer(stdio(file), { expectTools: ['echo'], timeoutMs: 20_000 });
    assert.equal(result.error, undefined);
    assert.equal(result.ok, true);
    assert.deepEqual(result.identity, {
      protocolVersion: '2026-07-28',
      handshake: 'discover',
      // The zero-width space in the server's own title does not reach the report.
      serverInfo: { name: 'modern-test', version: '2.1.0', title: 'Modern test' },
      capabilities: ['prompts', 'resources', 'tools'],
    });
    assert.deepEqual(result.tools, ['add', 'echo']);
    assert.deepEqual(result.surface?.prompts, ['greet']);
    assert.deepEqual(result.surface?.resourceTemplates, ['note://{id}']);
    assert.equal(result.surface?.instructions, 'Use echo.');
  });

  test('a 2026-07-28 HTTP server verifies through server/discover', async (t) => {
    const dir = await tempDir(t);
    const file = join(dir, 'modern-http.mjs');
    const port = await freePort();
    await writeFile(file, modernHttpServerScript(port));
    const child = spawn(process.execPath, [file], { stdio: ['ignore', 'pipe', 'pipe'] });
    t.after(() => stopProcess(child.pid!));
    let output = '';
    child.stdout?.on('data', (c: Buffer) => {
      output += c.toString();
    });
    await waitFor(() => output.includes('listening'), { what: 'the modern HTTP server to listen' });
    const result = await verifyServer(
      { kind: 'http', url: `http://127.0.0.1:${port}/mcp` },
      { timeoutMs: 20_000 },
    );
    assert.equal(result.error, undefined);
    assert.equal(result.identity?.protocolVersion, '2026-07-28');
    assert.equal(result.identity?.handshake, 'discover');
    assert.deepEqual(result.tools, ['add', 'echo']);
    assert.deepEqual(result.surface?.prompts, ['greet']);
  });

  test('server-everything (2025-11-25) verifies through the initialize fallback, over stdio and HTTP', async (t) => {
    const everything: Endpoint = {
      kind: 'stdio',
      command: process.execPath,
      args: [serverBin('everything'), 'stdio'],
      env: {},
    };
    const result = await verifyServer(everything, { timeoutMs: 20_000 });
    assert.equal(result.error, undefined);
    assert.equal(result.identity?.protocolVersion, '2025-11-25');
    assert.equal(result.identity?.handshake, 'initialize');
    assert.equal(result.identity?.serverInfo?.name, 'mcp-servers/everything');
    assert.ok(result.identity?.capabilities?.includes('tools'));
    assert.ok((result.surface?.prompts.length ?? 0) > 0, 'server-everything declares prompts');
    assert.ok((result.surface?.resourceTemplates.length ?? 0) > 0, 'and resource templates');

    const server = await startEverythingHttp(t);
    const http = await verifyServer({ kind: 'http', url: server.url }, { timeoutMs: 20_000 });
    assert.equal(http.error, undefined);
    assert.equal(http.identity?.handshake, 'initialize');
    assert.equal(http.identity?.protocolVersion, '2025-11-25');
    assert.equal(http.surface?.fingerprint, result.surface?.fingerprint);
  });

  test('health.minProtocolVersion: an older negotiated revision fails, naming both; a recent one passes', async (t) => {
    const everything: Endpoint = {
      kind: 'stdio',
      command: process.execPath,
      args: [serverBin('everything'), 'stdio'],
      env: {},
    };
    const old = await verifyServer(everything, { timeoutMs: 20_000, minProtocolVersion: '2026-07-28' });
    assert.equal(old.ok, false);
    assert.equal(old.health, 'unhealthy');
    assert.equal(old.attempts, 1, 'not retried: it will not get newer by waiting');
    assert.match(old.error ?? '', /revision 2025-11-25 is older than health\.minProtocolVersion 2026-07-28/);
    assert.equal(old.identity?.protocolVersion, '2025-11-25', 'the report still says what it spoke');

    const dir = await tempDir(t);
    const file = join(dir, 'modern.mjs');
    await writeFile(file, modernStdioServerScript());
    const recent = await verifyServer(stdio(file), { timeoutMs: 20_000, minProtocolVersion: '2026-07-28' });
    assert.equal(recent.error, undefined);
    assert.equal(recent.ok, true);
  });

  test('a 2025-era stdio server that ignores the probe verifies after a short wait, then without it until upgraded', async (t) => {
    const dir = await tempDir(t);
    const file = join(dir, 'silent.mjs');
    await writeFile(file, silentLegacyServerScript());
    const first = await verifyServer(stdio(file), { timeoutMs: 20_000 });
    assert.equal(first.error, undefined);
    assert.deepEqual(first.tools, ['only']);
    assert.equal(first.identity?.handshake, 'initialize');
    assert.equal(first.identity?.protocolVersion, '2025-06-18');
    assert.ok(first.durationMs < 10_000, `probe bounded well inside the deadline (${first.durationMs} ms)`);
    const again = await verifyServer(stdio(file), { timeoutMs: 20_000 });
    assert.equal(again.error, undefined);
    assert.ok(again.durationMs < 1_000, `the legacy verdict is remembered (${again.durationMs} ms)`);

    // Upgraded in place (same command line) to a server that refuses initialize: the stale verdict
    // is dropped and the server probed, in the same verification.
    await writeFile(file, modernStdioServerScript());
    const upgraded = await verifyServer(stdio(file), { timeoutMs: 20_000 });
    assert.equal(upgraded.error, undefined);
    assert.equal(upgraded.attempts, 1);
    assert.equal(upgraded.identity?.handshake, 'discover');
  });

  test('a 2025-era stdio server that exits on the probe is started again and greeted with initialize', async (t) => {
    const dir = await tempDir(t);
    const file = join(dir, 'exiting.mjs');
    await writeFile(file, exitingLegacyServerScript());
    const result = await verifyServer(stdio(file), { timeoutMs: 20_000 });
    assert.equal(result.error, undefined);
    assert.equal(result.ok, true);
    assert.equal(result.identity?.handshake, 'initialize');
    assert.equal(result.identity?.serverInfo?.name, 'old-stdio');
  });
});
