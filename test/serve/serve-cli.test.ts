/**
 * Two real `mcp-gitops serve` processes on one host, one remote, one lock dir: they never hold an
 * environment at the same time, and SIGTERM during a reconcile lets it finish (and push) first.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type ConfigRemote, createConfigRemote } from '../remote/config-remote.js';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'mcp-gitops.js');
let remote: ConfigRemote;
const children: ChildProcess[] = [];

before(async () => {
  remote = await createConfigRemote();
});
after(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await remote?.close();
});

interface Served {
  child: ChildProcess;
  lines: { msg?: string; time?: number }[];
  exit: Promise<number | null>;
}

function serve(name: string): Served {
  const child = spawn(
    process.execPath,
    [
      BIN,
      'serve',
      '--remote',
      remote.url,
      '--listen',
      '127.0.0.1:0',
      '--state-dir',
      path.join(remote.base, `state-${name}`),
    ],
    {
      env: {
        ...process.env,
        MCP_GITOPS_LOCK_DIR: path.join(remote.base, 'locks'),
        MCP_GITOPS_WEBHOOK_SECRET: 'whsec-cli-7c2d',
        MCP_GITOPS_LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  children.push(child);
  const lines: Served['lines'] = [];
  let buf = '';
  child.stderr?.on('data', (d: Buffer) => {
    buf += d.toString();
    for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      try {
        lines.push(JSON.parse(line) as Served['lines'][number]);
      } catch {
        lines.push({ msg: line });
      }
    }
  });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, lines, exit };
}

async function waitForLog(s: Served[], msg: string, timeoutMs = 60_000): Promise<Served> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = s.find((x) => x.lines.some((l) => l.msg === msg));
    if (found) return found;
    if (Date.now() > deadline)
      throw new Error(`no "${msg}" in ${timeoutMs} ms: ${JSON.stringify(s.map((x) => x.lines))}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const timeOf = (s: Served, msg: string) => s.lines.find((l) => l.msg === msg)?.time ?? Number.NaN;

describe('serve processes', { timeout: 180_000 }, () => {
  test('two serve processes take turns on an environment; SIGTERM mid-reconcile finishes it, then exits 0', async () => {
    const a = serve('a');
    const b = serve('b');
    const first = await waitForLog([a, b], 'locks acquired');
    const second = first === a ? b : a;
    first.child.kill('SIGTERM');
    assert.equal(await first.exit, 0);
    const msgs = first.lines.map((l) => l.msg);
    assert.ok(
      msgs.indexOf('stopping: the running reconcile finishes first') < msgs.indexOf('reconciled'),
      msgs.join(' | '),
    );
    assert.ok(msgs.includes('reports pushed'));

    await waitForLog([second], 'locks released');
    assert.ok(
      timeOf(second, 'locks acquired') >= timeOf(first, 'locks released'),
      'the second process entered only after the first released',
    );
    second.child.kill('SIGTERM');
    assert.equal(await second.exit, 0);
    assert.match(remote.remoteGit('log', '--format=%B', 'main'), /Mcp-Gitops-Report: true/);
    assert.equal(remote.remoteGit('cat-file', '-t', 'dev/v1.0.0'), 'tag');
  });
});
