/**
 * `mcp-gitops serve` as its own process (the real CLI) against a test config remote, so its memory
 * can be read from /proc/<pid>/status: the URL it listens on, its log lines, readiness, and a stop
 * by PID (SIGTERM, then SIGKILL after a bounded wait).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConfigRemote } from '../remote/config-remote.js';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'mcp-gitops.js');

export interface ServeProcess {
  child: ChildProcess;
  pid: number;
  url: string;
  port: number;
  /** Parsed JSON log lines (stderr), in order. */
  lines: Record<string, unknown>[];
  /** Resolves once /readyz answers 200 (the startup reconcile is done). */
  ready(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startServeProcess(
  remote: ConfigRemote,
  name: string,
  options: { args?: string[]; secret?: string; logLevel?: string; nodeArgs?: string[] } = {},
): Promise<ServeProcess> {
  const child = spawn(
    process.execPath,
    [
      ...(options.nodeArgs ?? []),
      BIN,
      'serve',
      '--remote',
      remote.url,
      '--listen',
      '127.0.0.1:0',
      '--state-dir',
      path.join(remote.base, `state-${name}`),
      '--lock-dir',
      path.join(remote.base, 'locks'),
      ...(options.args ?? []),
    ],
    {
      env: {
        ...process.env,
        MCP_GITOPS_WEBHOOK_SECRET: options.secret ?? '',
        MCP_GITOPS_LOG_LEVEL: options.logLevel ?? 'info',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  const pid = child.pid;
  if (pid === undefined) throw new Error('serve did not start');
  const lines: Record<string, unknown>[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let url: string | undefined;
  let buf = '';
  const stderr: string[] = [];
  child.stderr?.on('data', (d: Buffer) => {
    buf += d.toString();
    for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      if (stderr.length < 200) stderr.push(line);
      const listening = /listening on (http:\/\/\S+)/.exec(line);
      if (listening && !line.startsWith('{')) url = listening[1];
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // not a log line
      }
    }
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    process.kill(pid, 'SIGTERM');
    const killed = setTimeout(() => {
      if (child.exitCode === null && child.signalCode === null) process.kill(pid, 'SIGKILL');
    }, 30_000);
    await exited;
    clearTimeout(killed);
  };
  const deadline = Date.now() + 60_000;
  while (url === undefined) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`serve did not start listening:\n${stderr.join('\n')}`);
    }
    await sleep(25);
  }
  const listening = url;
  return {
    child,
    pid,
    url: listening,
    port: Number(new URL(listening).port),
    lines,
    async ready(timeoutMs = 120_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const status = await fetch(`${listening}/readyz`, { signal: AbortSignal.timeout(5_000) })
          .then((r) => r.status)
          .catch(() => 0);
        if (status === 200) return;
        if (Date.now() > until) throw new Error(`serve not ready in ${timeoutMs} ms:\n${stderr.join('\n')}`);
        await sleep(100);
      }
    },
    stop,
  };
}

/** VmRSS (now) and VmHWM (peak since start or the last resetPeak) of a process, in bytes. */
export function memoryOf(pid: number): { rss: number; peak: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status);
    if (!m) throw new Error(`no ${field} in /proc/${pid}/status`);
    return Number(m[1]) * 1024;
  };
  return { rss: kib('VmRSS'), peak: kib('VmHWM') };
}

/** Reset a process's VmHWM to its current RSS (Linux: `5` into clear_refs); false where refused. */
export function resetPeak(pid: number): boolean {
  try {
    fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
