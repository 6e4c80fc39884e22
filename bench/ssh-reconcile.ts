/**
 * Reconcile of 20 servers on one SSH host (issue 5), multiplexed versus one connection per
 * command: a real sshd (in its own network namespace when root can make one, else on 127.0.0.1),
 * a config repo with 20 `command` servers — a minimal MCP server over streamable HTTP (node, no
 * dependencies: initialize + tools/list), written by the bench onto the host — and the in-process
 * engine. Each mode runs a reconcile that creates, supervises and verifies all 20 (verification
 * over HTTP from here, included in the time), then a reconcile with nothing to do. Prints the ssh
 * round trips (every ssh invocation the SshHost made) and the wall time of each.
 * Run alone: `node --import tsx bench/ssh-reconcile.ts`.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { reconcile } from '../src/engine/reconcile.js';
import { stopServers } from '../src/engine/stop-servers.js';
import { createHost } from '../src/hosts/create-host.js';
import type { SshHost } from '../src/hosts/ssh/ssh-host.js';
import { netnsAvailable, type Sshd, startSshd } from '../test/helpers/sshd.js';
import { git } from './git.js';

const SERVERS = 20;

export interface SshReconcileRow {
  mode: 'multiplexed' | 'not multiplexed';
  phase: 'create 20 + verify' | 'no-op';
  /** Changes the run applied (20 on create, 0 when there is nothing to do). */
  changes: number;
  roundTrips: number;
  wallMs: number;
}

const MINI_SERVER = `import http from 'node:http';
const tools = [{ name: 'ping', description: 'answers pong', inputSchema: { type: 'object' } }];
http.createServer((req, res) => {
  if (req.method === 'DELETE') return res.writeHead(200).end();
  if (req.method !== 'POST') return res.writeHead(405).end();
  let body = '';
  req.on('data', (c) => { body += c; });
  req.on('end', () => {
    const msg = JSON.parse(body);
    if (msg.id === undefined) return res.writeHead(202).end();
    const result = msg.method === 'initialize'
      ? { protocolVersion: msg.params.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: 'mini', version: '1.0.0' } }
      : msg.method === 'tools/list' ? { tools } : {};
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', id: msg.id, result }));
  });
}).listen(Number(process.env.PORT));
`;

function writeRepo(dir: string, sshd: Sshd, baseDir: string, multiplex: boolean, firstPort: number): void {
  const script = path.join(sshd.dir, 'mini-mcp.mjs');
  fs.writeFileSync(script, MINI_SERVER);
  fs.mkdirSync(path.join(dir, 'servers'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'environments'), { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'mcp-gitops.yaml'),
    'apiVersion: mcp-gitops/v1\nkind: Repository\nmetadata: { name: bench }\nspec:\n  branch: main\n',
  );
  const names = Array.from({ length: SERVERS }, (_, i) => `mini-${String(i).padStart(2, '0')}`);
  for (const [i, name] of names.entries()) {
    fs.writeFileSync(
      path.join(dir, 'servers', `${name}.yaml`),
      `apiVersion: mcp-gitops/v1\nkind: Server\nmetadata: { name: ${name} }\nspec:\n  command: { path: ${process.execPath}, args: [${script}] }\n  transport: streamable-http\n  port: ${firstPort + i}\n  env: { PORT: "{{server.port}}" }\n  health: { expectTools: [ping], timeoutMs: 20000 }\n`,
    );
  }
  fs.writeFileSync(
    path.join(dir, 'environments', 'bench.yaml'),
    `apiVersion: mcp-gitops/v1\nkind: Environment\nmetadata: { name: bench }\nspec:\n  targets:\n    - name: vm\n      provider: process\n      host: ${sshd.url}\n      identityFile: { ref: "file:${sshd.identityFile}" }\n      knownHosts: ${sshd.knownHosts}\n      home: ${sshd.dir}\n      baseDir: ${baseDir}\n      listenHost: 0.0.0.0\n      multiplex: ${multiplex}\n  servers:\n${names.map((n) => `    - name: ${n}\n`).join('')}`,
  );
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'bench repo');
}

async function timedReconcile(
  repoDir: string,
): Promise<{ changes: number; roundTrips: number; wallMs: number }> {
  const hosts: SshHost[] = [];
  const start = performance.now();
  const run = await reconcile({
    repoDir,
    deps: {
      createHost: (target) => {
        const host = createHost(target, { repoRoot: repoDir });
        if (host.kind === 'ssh') hosts.push(host as SshHost);
        return host;
      },
    },
  });
  const wallMs = performance.now() - start;
  if (run.failed) {
    const bad = run.targets.flatMap((t) => t.results.filter((r) => r.outcome !== 'applied'));
    throw new Error(`bench reconcile failed: ${JSON.stringify(bad.slice(0, 3))}`);
  }
  const results = run.targets.flatMap((t) => t.results);
  if (process.env.BENCH_DEBUG) console.log(JSON.stringify(results.slice(0, 2)));
  const changes = results.filter((r) => r.outcome === 'applied').length;
  return { changes, roundTrips: hosts.reduce((n, h) => n + h.roundTrips, 0), wallMs };
}

export async function benchSshReconcile(): Promise<SshReconcileRow[]> {
  const sshd = await startSshd(undefined, { netns: netnsAvailable() });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpgt-bench-ssh-'));
  const rows: SshReconcileRow[] = [];
  const firstPort = 46000 + Math.floor(Math.random() * 3000);
  try {
    const modes = process.env.BENCH_SSH_MODES === 'plain' ? [false] : [true, false];
    for (const multiplex of modes) {
      const mode = multiplex ? 'multiplexed' : 'not multiplexed';
      const repoDir = path.join(work, `repo-${mode.replace(' ', '-')}`);
      const baseDir = path.join(sshd.dir, `mcp-${multiplex ? 'mux' : 'plain'}`);
      writeRepo(repoDir, sshd, baseDir, multiplex, firstPort + (multiplex ? 0 : SERVERS));
      try {
        rows.push({ mode, phase: 'create 20 + verify', ...(await timedReconcile(repoDir)) });
        rows.push({ mode, phase: 'no-op', ...(await timedReconcile(repoDir)) });
      } finally {
        await stopServers({ repoDir });
      }
    }
    return rows;
  } finally {
    await sshd.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

export function formatSshReconcile(rows: readonly SshReconcileRow[]): string {
  const lines = [`reconcile of ${SERVERS} command servers on one ssh host (in-process engine)`];
  for (const r of rows) {
    lines.push(
      `  ${r.mode.padEnd(16)} ${r.phase.padEnd(19)} ${String(r.changes).padStart(3)} changes  ${String(r.roundTrips).padStart(4)} ssh round trips  ${(r.wallMs / 1000).toFixed(2).padStart(7)} s`,
    );
  }
  return lines.join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(formatSshReconcile(await benchSshReconcile()));
}
