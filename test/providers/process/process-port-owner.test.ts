/**
 * Verify the process you started: a port held by a process outside mcp-gitops is a failed start
 * with that reason, never a borrowed "healthy" — whether the port was taken before the server
 * started (a plain `net.createServer` of this test), or while it was starting (another MCP server
 * that answers the handshake). Through the real CLI, the engine then rolls the change back.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { processProvider } from '../../../src/providers/process/index.js';
import { verifyServer } from '../../../src/verify/verify-server.js';
import { cliRunner } from '../../helpers/cli.js';
import { freePort, serverVersion, stopProcess, tempDir, waitFor } from '../../helpers/mcp-servers.js';
import { requireTools } from '../../helpers/require-tools.js';
import { createTempRepo } from '../../helpers/temp-repo.js';
import { canaryServerScript } from './canary-server.js';
import { change, desiredServer, killServer, processContext, serverDir } from './fixtures.js';

requireTools('start-stop-daemon');

/** A plain TCP listener that accepts and never answers; `close` drops its connections too. */
async function listenForeign(port: number): Promise<{ server: Server; close(): void }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    server,
    close() {
      server.close();
      for (const socket of sockets) socket.destroy();
    },
  };
}

const everythingSpec = (port: number) => ({
  package: {
    registryType: 'npm' as const,
    identifier: '@modelcontextprotocol/server-everything',
    version: serverVersion('everything'),
    packageArguments: ['streamableHttp'],
  },
  transport: 'streamable-http' as const,
  port,
  path: '/mcp',
  env: { PORT: String(port) },
});

describe('process provider: verification reaches the process it started, or fails with why', () => {
  const cleanups: (() => unknown)[] = [];
  let home: string;
  let baseDir: string;

  before(async () => {
    home = await tempDir({ after: (fn) => cleanups.push(fn) });
    baseDir = join(home, 'mcp');
  });
  after(async () => {
    for (const server of ['taken', 'idle']) killServer(baseDir, server);
    for (const fn of cleanups.reverse()) await fn();
  });
  const ctxFor = () => processContext({ home, settings: { baseDir, supervisor: 'start-stop-daemon' } });

  test('a port taken before the start: a failed start with the holder, in verification and in observe', async () => {
    const port = await freePort();
    const foreign = await listenForeign(port);
    cleanups.push(() => foreign.close());
    const taken = desiredServer('taken', everythingSpec(port));
    const ctx = ctxFor();
    const applied = await processProvider.apply(ctx, change('create', 'taken', taken));
    assert.equal(applied.outcome, 'applied', applied.message);
    const reason = new RegExp(`port ${port} is in use by another process \\(pid ${process.pid}, [^)]+\\)`);
    await assert.rejects(processProvider.endpoint(ctx, taken), reason);

    const server = await waitFor(
      async () => {
        const found = (await processProvider.observe(ctx)).servers.find((s) => s.name === 'taken');
        return found?.down?.includes('in use by another process') ? found : undefined;
      },
      { timeoutMs: 30_000, what: 'the launcher to see its server die of the taken port' },
    );
    assert.equal(server.running, false);
    assert.match(server.down ?? '', reason);
    assert.equal((await processProvider.apply(ctx, change('delete', 'taken'))).outcome, 'applied');
  });

  test('a port taken while the server starts: the MCP server that answers is not ours, so not healthy', async (t) => {
    const port = await freePort();
    const script = join(home, 'idle.mjs');
    writeFileSync(script, 'setInterval(() => {}, 1 << 30);\n');
    const idle = desiredServer('idle', { command: { path: script }, transport: 'streamable-http', port });
    const ctx = ctxFor();
    assert.equal((await processProvider.apply(ctx, change('create', 'idle', idle))).outcome, 'applied');
    const endpoint = (await processProvider.endpoint(ctx, idle))!;

    const canary = join(home, 'canary.mjs');
    writeFileSync(canary, canaryServerScript());
    const other: ChildProcess = spawn(process.execPath, [canary], {
      env: { PATH: process.env.PATH ?? '', PORT: String(port) },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    t.after(() => stopProcess(other.pid!));
    let output = '';
    other.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    await waitFor(() => output.includes('listening'), { timeoutMs: 15_000, what: 'the other MCP server' });

    const verified = await verifyServer(endpoint, { timeoutMs: 20_000 });
    assert.equal(verified.health, 'unhealthy');
    assert.equal(verified.toolCount, undefined, "the other server's tools are not reported");
    assert.match(
      verified.error ?? '',
      new RegExp(`^port ${port} is in use by another process \\(pid ${other.pid}, `),
    );
    assert.equal((await processProvider.apply(ctx, change('delete', 'idle'))).outcome, 'applied');
  });

  test('reconcile through the CLI: the start fails with the reason and the new server is rolled back', async (t) => {
    const port = await freePort();
    const foreign = await listenForeign(port);
    t.after(() => foreign.close());
    const stateHome = mkdtempSync(join(tmpdir(), 'mcpgt-port-home-'));
    const repo = createTempRepo('mcpgt-port-repo-');
    const cliBase = join(stateHome, 'mcp');
    t.after(() => {
      killServer(cliBase, 'everything');
      repo.cleanup();
      rmSync(stateHome, { recursive: true, force: true });
    });
    const head = 'apiVersion: mcp-gitops/v1';
    repo.write(
      'mcp-gitops.yaml',
      `${head}\nkind: Repository\nmetadata:\n  name: ports\nspec:\n  branch: main\n`,
    );
    repo.write(
      'servers/everything.yaml',
      `${head}\nkind: Server\nmetadata:\n  name: everything\nspec:\n${Object.entries({
        package: `\n    registryType: npm\n    identifier: "@modelcontextprotocol/server-everything"\n    version: "${serverVersion('everything')}"\n    packageArguments: [streamableHttp]`,
        transport: ' streamable-http',
        port: ` ${port}`,
        path: ' /mcp',
        env: '\n    PORT: "{{server.port}}"',
        health: '\n    expectTools: [echo]\n    timeoutMs: 10000',
      })
        .map(([k, v]) => `  ${k}:${v}\n`)
        .join('')}`,
    );
    repo.write(
      'environments/dev.yaml',
      `${head}\nkind: Environment\nmetadata:\n  name: dev\nspec:\n  targets:\n    - name: procs\n      provider: process\n      host: local\n      home: ${stateHome}\n      baseDir: ${cliBase}\n      supervisor: start-stop-daemon\n  servers:\n    - name: everything\n`,
    );
    repo.commitAll('everything on a port another process holds');
    const res = await cliRunner({ MCP_GITOPS_HOME: stateHome }).run(
      ['reconcile', '--repo', repo.dir],
      300_000,
    );
    assert.equal(res.code, 1, res.stdout + res.stderr);
    assert.match(
      res.stdout,
      new RegExp(
        `dev/procs: create everything: ROLLED BACK — verification failed: port ${port} is in use by another process \\(pid ${process.pid}, [^)]+\\); removed \\(it was new\\)`,
      ),
      res.stdout,
    );
    assert.doesNotMatch(res.stdout, /healthy, 13 tools/);
    assert.equal(existsSync(serverDir(cliBase, 'everything')), false, 'rolled back: nothing left running');
  });
});
