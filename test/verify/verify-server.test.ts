import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { redactor } from '../../src/log/redact.js';
import type { Endpoint } from '../../src/providers/types.js';
import { verifyServer } from '../../src/verify/verify-server.js';
import { freePort, serverBin, startEverythingHttp, tempDir } from '../helpers/mcp-servers.js';
import { pagedToolsServerScript } from './paged-tools-server.js';

const everythingStdio: Endpoint = {
  kind: 'stdio',
  command: process.execPath,
  args: [serverBin('everything'), 'stdio'],
  env: {},
};

describe('verifyServer against real MCP servers', () => {
  test('server-everything over stdio is healthy with 13 tools and a stable tools hash', async () => {
    const first = await verifyServer(everythingStdio, { expectTools: ['echo'], timeoutMs: 20_000 });
    assert.equal(first.error, undefined);
    assert.equal(first.ok, true);
    assert.equal(first.health, 'healthy');
    assert.equal(first.toolCount, 13);
    assert.ok(first.tools?.includes('echo'));
    assert.match(first.toolsHash ?? '', /^[0-9a-f]{64}$/);
    assert.equal(first.attempts, 1);

    const second = await verifyServer(everythingStdio, { timeoutMs: 20_000 });
    assert.equal(second.toolsHash, first.toolsHash);
  });

  test('server-everything over streamable HTTP agrees with stdio', async (t) => {
    const server = await startEverythingHttp(t);
    const http = await verifyServer({ kind: 'http', url: server.url }, { expectTools: ['echo', 'get-sum'] });
    assert.equal(http.error, undefined);
    assert.equal(http.health, 'healthy');
    assert.equal(http.toolCount, 13);
    const stdio = await verifyServer(everythingStdio, { timeoutMs: 20_000 });
    assert.equal(http.toolsHash, stdio.toolsHash);
  });

  test('server-everything over SSE (legacy transport) is healthy with the same tools hash', async (t) => {
    const server = await startEverythingHttp(t, 'sse');
    const sse = await verifyServer(
      { kind: 'http', url: server.url, transport: 'sse' },
      { expectTools: ['echo'] },
    );
    assert.equal(sse.error, undefined);
    assert.equal(sse.health, 'healthy');
    assert.equal(sse.toolCount, 13);
    const stdio = await verifyServer(everythingStdio, { timeoutMs: 20_000 });
    assert.equal(sse.toolsHash, stdio.toolsHash);
  });

  test('server-memory over stdio with a fresh memory file is healthy with 9 tools', async (t) => {
    const dir = await tempDir(t);
    const result = await verifyServer(
      {
        kind: 'stdio',
        command: process.execPath,
        args: [serverBin('memory')],
        env: { MEMORY_FILE_PATH: join(dir, 'memory.jsonl') },
      },
      { expectTools: ['read_graph'], timeoutMs: 20_000 },
    );
    assert.equal(result.error, undefined);
    assert.equal(result.health, 'healthy');
    assert.equal(result.toolCount, 9);
  });

  test('tools/list is followed page by page; the hash ignores paging and order', async (t) => {
    const dir = await tempDir(t);
    const names = ['delta', 'alpha', 'echo', 'charlie', 'bravo'];
    const run = async (file: string, list: string[], pageSize: number) => {
      await writeFile(join(dir, file), pagedToolsServerScript(list, pageSize));
      return verifyServer(
        { kind: 'stdio', command: process.execPath, args: [join(dir, file)], env: {} },
        { expectTools: ['echo'], timeoutMs: 20_000 },
      );
    };
    const paged = await run('paged.mjs', names, 2);
    assert.equal(paged.error, undefined);
    assert.equal(paged.toolCount, 5);
    assert.deepEqual(paged.tools, ['alpha', 'bravo', 'charlie', 'delta', 'echo']);
    const whole = await run('whole.mjs', [...names].reverse(), 10);
    assert.equal(whole.toolsHash, paged.toolsHash);
    const fewer = await run('fewer.mjs', names.slice(0, 4).concat('echo2'), 10);
    assert.notEqual(fewer.toolsHash, paged.toolsHash);
  });

  test('a missing expected tool makes the server unhealthy and is named', async () => {
    const result = await verifyServer(everythingStdio, {
      expectTools: ['echo', 'no-such-tool', 'another-missing'],
      timeoutMs: 20_000,
    });
    assert.equal(result.ok, false);
    assert.equal(result.health, 'unhealthy');
    assert.equal(result.toolCount, 13);
    assert.match(result.error ?? '', /no-such-tool, another-missing/);
    assert.doesNotMatch(result.error ?? '', /echo/);
  });

  test('nothing listening: retried while starting, unhealthy once the timeout passes, no hang', async () => {
    const port = await freePort();
    const seen: string[] = [];
    const result = await verifyServer(
      { kind: 'http', url: `http://127.0.0.1:${port}/mcp` },
      { timeoutMs: 1500 },
      { onAttempt: (_n, health) => seen.push(health) },
    );
    assert.equal(result.ok, false);
    assert.equal(result.health, 'unhealthy');
    assert.ok(result.attempts > 1, `expected retries, got ${result.attempts}`);
    assert.ok(seen.every((h) => h === 'starting'));
    assert.match(result.error ?? '', /not answering MCP after 1500 ms.*ECONNREFUSED/);
  });

  test('an attempt limit while still starting reports starting', async () => {
    const port = await freePort();
    const result = await verifyServer(
      { kind: 'http', url: `http://127.0.0.1:${port}/mcp` },
      {},
      { attempts: 2 },
    );
    assert.equal(result.health, 'starting');
    assert.equal(result.attempts, 2);
  });

  test('a stdio process that exits is unhealthy at once, with its stderr redacted', async () => {
    const canary = 'canary-verify-9f3a1c';
    redactor.add(canary);
    const result = await verifyServer(
      {
        kind: 'stdio',
        command: process.execPath,
        args: ['-e', `console.error('boom ' + process.env.TOKEN); process.exit(3)`],
        env: { TOKEN: canary },
      },
      { timeoutMs: 10_000 },
    );
    assert.equal(result.health, 'unhealthy');
    assert.equal(result.attempts, 1);
    assert.match(result.error ?? '', /exited before answering.*boom \[REDACTED\]/);
    assert.doesNotMatch(result.error ?? '', new RegExp(canary));
  });

  test('an HTTP server that is not MCP is unhealthy without retries', async (t) => {
    const { createServer } = await import('node:http');
    const server = createServer((_req, res) => {
      res.writeHead(404).end('not here');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    t.after(() => server.close());
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const result = await verifyServer(
      { kind: 'http', url: `http://127.0.0.1:${port}/mcp` },
      { timeoutMs: 5000 },
    );
    assert.equal(result.health, 'unhealthy');
    assert.equal(result.attempts, 1);
  });
});
