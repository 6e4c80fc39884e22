import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { processProvider } from '../../../src/providers/process/index.js';
import { verifyServer } from '../../../src/verify/verify-server.js';
import { freePort, isProcessAlive, tempDir, waitFor } from '../../helpers/mcp-servers.js';
import { change, desiredServer, killServer, pidOf, processContext, serverDir } from './fixtures.js';

/** A tiny `command` server: one tool that reports the secret it sees and the address it listens on. */
function canaryServerScript(): string {
  const sdk = (p: string) => JSON.stringify(import.meta.resolve(`@modelcontextprotocol/sdk/${p}`));
  return `import http from 'node:http';
import { Server } from ${sdk('server/index.js')};
import { StreamableHTTPServerTransport } from ${sdk('server/streamableHttp.js')};
import { CallToolRequestSchema, ListToolsRequestSchema } from ${sdk('types.js')};
const httpServer = http.createServer(async (req, res) => {
  const server = new Server({ name: 'canary', version: '1.0.0' }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: [{ name: 'whoami', description: 'secret and address', inputSchema: { type: 'object', properties: {} } }],
  }));
  server.setRequestHandler(CallToolRequestSchema, async () => ({
    content: [{ type: 'text', text: JSON.stringify({ token: process.env.CANARY_TOKEN, address: httpServer.address(), pid: process.pid }) }],
  }));
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  res.on('close', () => { transport.close(); server.close(); });
  await server.connect(transport);
  await transport.handleRequest(req, res);
});
httpServer.listen(Number(process.env.PORT), () => console.log('canary server listening'));
`;
}

describe('process provider with the pidfile supervisor: a command server and a canary secret', () => {
  const cleanups: (() => unknown)[] = [];
  const canary = `canary-${randomBytes(8).toString('hex')}`;
  let home: string;
  let baseDir: string;
  let script: string;
  let port: number;

  before(async () => {
    home = await tempDir({ after: (fn) => cleanups.push(fn) });
    baseDir = join(home, 'mcp');
    script = join(home, 'canary-server.mjs');
    writeFileSync(script, canaryServerScript());
    port = await freePort();
  });
  after(async () => {
    killServer(baseDir, 'canary');
    for (const fn of cleanups.reverse()) await fn();
  });

  const canaryServer = () =>
    desiredServer('canary', {
      command: { path: script },
      transport: 'streamable-http',
      port,
      env: { PORT: String(port) },
      secrets: [{ name: 'CANARY_TOKEN', ref: 'env:MCP_TEST_CANARY' }],
      health: { expectTools: ['whoami'] },
    });
  const ctxFor = () =>
    processContext({
      home,
      settings: { baseDir, supervisor: 'pidfile' },
      servers: [canaryServer()],
      secretEnv: { MCP_TEST_CANARY: canary },
    });

  test('the secret reaches the process through the 0600 env file and nowhere else', async () => {
    const desired = canaryServer();
    const ctx = ctxFor();
    const result = await processProvider.apply(ctx, change('create', 'canary', desired));
    assert.equal(result.outcome, 'applied', result.message);
    assert.doesNotMatch(JSON.stringify(result), new RegExp(canary));

    const verified = await verifyServer((await processProvider.endpoint(ctx, desired))!, {
      expectTools: ['whoami'],
      timeoutMs: 20_000,
    });
    assert.equal(verified.error, undefined);
    assert.equal(verified.health, 'healthy');

    const client = new Client({ name: 'test', version: '1' });
    const transport = new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`));
    await client.connect(transport);
    const called = await client.callTool({ name: 'whoami', arguments: {} });
    await client.close();
    const seen = JSON.parse((called.content as { text: string }[])[0]!.text) as {
      token: string;
      address: { address: string; port: number };
      pid: number;
    };
    assert.equal(seen.token, canary, 'the server process sees the secret');
    assert.equal(seen.address.address, '127.0.0.1', 'listen(port) was bound to listenHost');

    const pid = pidOf(baseDir, 'canary')!;
    assert.equal(seen.pid, pid, 'the supervised pid is the server itself');
    const dir = serverDir(baseDir, 'canary');
    assert.equal(statSync(join(dir, 'env')).mode & 0o777, 0o600);
    assert.match(readFileSync(join(dir, 'env'), 'utf8'), new RegExp(`CANARY_TOKEN="${canary}"`));
    for (const where of [
      `/proc/${pid}/cmdline`,
      `/proc/${pid}/environ`,
      join(dir, 'log'),
      join(dir, 'spec.json'),
    ]) {
      assert.doesNotMatch(readFileSync(where, 'utf8'), new RegExp(canary), `secret leaked into ${where}`);
    }
    assert.match(readFileSync(join(dir, 'log'), 'utf8'), /canary server listening/);
    const spec = JSON.parse(readFileSync(join(dir, 'spec.json'), 'utf8')) as { spec: { secrets: unknown } };
    assert.deepEqual(spec.spec.secrets, [{ name: 'CANARY_TOKEN', ref: 'env:MCP_TEST_CANARY' }]);

    const observed = await processProvider.observe(ctx);
    assert.equal(observed.facts?.supervisor, 'pidfile');
    assert.equal(observed.servers[0]?.running, true);
    assert.doesNotMatch(JSON.stringify(observed), new RegExp(canary));
  });

  test('an unresolvable secret fails the change with a message, without throwing', async () => {
    const desired = desiredServer('broken', {
      command: { path: script },
      transport: 'streamable-http',
      port: await freePort(),
      secrets: [{ name: 'TOKEN', ref: 'env:MCP_TEST_NOT_SET' }],
    });
    const result = await processProvider.apply(ctxFor(), change('create', 'broken', desired));
    assert.equal(result.outcome, 'failed');
    assert.match(result.message ?? '', /MCP_TEST_NOT_SET/);
    assert.equal(existsSync(serverDir(baseDir, 'broken')), false, 'a failed create leaves nothing behind');
  });

  test('delete stops the pidfile-supervised process', async () => {
    const pid = pidOf(baseDir, 'canary')!;
    assert.ok(isProcessAlive(pid));
    const result = await processProvider.apply(ctxFor(), change('delete', 'canary'));
    assert.equal(result.outcome, 'applied', result.message);
    await waitFor(() => !isProcessAlive(pid), { timeoutMs: 5000, what: 'canary server to be gone' });
  });
});
