/**
 * Shared helpers for tests that run the real MCP servers from node_modules (TEST-INFRA.md):
 * free ports, server-everything over streamable HTTP bound to 127.0.0.1, bounded waits, process
 * checks that see zombies as dead, and cleanup registered on the test context.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

export type TestServerPackage = 'everything' | 'memory' | 'filesystem';

/** Absolute path of a test server's entry script (its package.json `bin`). */
export function serverBin(name: TestServerPackage): string {
  const pkgJson = require.resolve(`@modelcontextprotocol/server-${name}/package.json`);
  const pkg = JSON.parse(readFileSync(pkgJson, 'utf8')) as { bin: string | Record<string, string> };
  const bin = typeof pkg.bin === 'string' ? pkg.bin : Object.values(pkg.bin)[0]!;
  return join(dirname(pkgJson), bin);
}

/** The exact version of a test server package installed as a devDependency. */
export function serverVersion(name: TestServerPackage): string {
  const pkgJson = require.resolve(`@modelcontextprotocol/server-${name}/package.json`);
  return (JSON.parse(readFileSync(pkgJson, 'utf8')) as { version: string }).version;
}

/** Path of the `mcp-inspector` CLI entry (independent MCP client). */
export function inspectorCli(): string {
  const pkgJson = require.resolve('@modelcontextprotocol/inspector/package.json');
  return join(dirname(pkgJson), 'cli/build/cli.js');
}

/** A TCP port that was free on 127.0.0.1 a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

interface TestContext {
  after(fn: () => unknown): void;
}

/** A temp directory removed when the test ends. */
export async function tempDir(t: TestContext, prefix = 'mcp-gitops-test-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Poll until `check` returns a truthy value; fail after `timeoutMs`. */
export async function waitFor<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  { timeoutMs = 10_000, intervalMs = 50, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Alive and not a zombie (a dead child can look alive to `kill -0` for a while). */
export function isProcessAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** SIGINT, then SIGKILL after `graceMs`; resolves once the process is gone. */
export async function stopProcess(pid: number, graceMs = 3000): Promise<void> {
  if (!isProcessAlive(pid)) return;
  try {
    process.kill(pid, 'SIGINT');
  } catch {
    return;
  }
  try {
    await waitFor(() => !isProcessAlive(pid), { timeoutMs: graceMs, what: `pid ${pid} to exit` });
  } catch {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
    await waitFor(() => !isProcessAlive(pid), { timeoutMs: 5000, what: `pid ${pid} to die` });
  }
}

/** Preload that forces `listen(port)` onto 127.0.0.1 (server-everything binds every interface). */
const LOOPBACK_PRELOAD = `'use strict';
const net = require('node:net');
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === 'number' || (typeof args[0] === 'string' && /^\\d+$/.test(args[0]))) {
    const cb = typeof args[args.length - 1] === 'function' ? args[args.length - 1] : undefined;
    return listen.call(this, Number(args[0]), '127.0.0.1', ...(cb ? [cb] : []));
  }
  return listen.apply(this, args);
};
`;

let preloadPath: string | undefined;
async function loopbackPreload(): Promise<string> {
  if (preloadPath) return preloadPath;
  const dir = await mkdtemp(join(tmpdir(), 'mcp-gitops-preload-'));
  const path = join(dir, 'listen-loopback.cjs');
  await writeFile(path, LOOPBACK_PRELOAD);
  process.once('exit', () => {
    rmSync(dir, { recursive: true, force: true });
  });
  preloadPath = path;
  return path;
}

export interface RunningHttpServer {
  port: number;
  url: string;
  pid: number;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** Start server-everything over streamable HTTP (or SSE) on a free 127.0.0.1 port and wait until it listens. */
export async function startEverythingHttp(
  t: TestContext,
  mode: 'streamableHttp' | 'sse' = 'streamableHttp',
): Promise<RunningHttpServer> {
  const port = await freePort();
  const child = spawn(process.execPath, ['-r', await loopbackPreload(), serverBin('everything'), mode], {
    env: { PATH: process.env.PATH ?? '', PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => {
    output += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    output += c.toString();
  });
  const pid = child.pid!;
  const stop = () => stopProcess(pid);
  t.after(stop);
  await waitFor(() => /(listening|running) on port/.test(output) || child.exitCode !== null, {
    timeoutMs: 15_000,
    what: 'server-everything to listen',
  });
  if (child.exitCode !== null) throw new Error(`server-everything exited: ${output}`);
  const path = mode === 'sse' ? '/sse' : '/mcp';
  return { port, url: `http://127.0.0.1:${port}${path}`, pid, child, output: () => output, stop };
}
