/**
 * The child processes of the test API server (test/helpers/kube-apiserver.ts): each started with
 * its output in a log file, stopped with SIGTERM and a SIGKILL after a grace, and — should a test
 * process die without stopping them — killed with it by an exit hook, so no etcd or kube-apiserver
 * outlives the test that started it. Also the free loopback ports they listen on.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, rmSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as net from 'node:net';
import * as path from 'node:path';

const KILL_GRACE_MS = 5_000;

/** A started child: its log file and a promise that settles when it has exited. */
export interface Proc {
  name: string;
  child: ChildProcess;
  log: string;
  exited: Promise<void>;
}

/** Starts `bin` with its stdout and stderr in DIR/NAME.log. */
export function launch(name: string, bin: string, dir: string, args: string[]): Proc {
  const log = path.join(dir, `${name}.log`);
  const fd = openSync(log, 'w');
  const child = spawn(bin, args, { stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', (err) => {
      void fs.appendFile(log, `\n${name} could not run: ${err.message}\n`).finally(resolve);
    });
  });
  return { name, child, log, exited };
}

/** Whether the process is still running: started, neither exited nor killed. */
export function running(proc: Proc): boolean {
  return proc.child.pid !== undefined && proc.child.exitCode === null && proc.child.signalCode === null;
}

/** SIGTERM, then SIGKILL after the grace; resolves once the process has exited. */
export async function terminate(proc: Proc): Promise<void> {
  if (!running(proc)) return;
  proc.child.kill('SIGTERM');
  // A plain timer, cleared once the process is gone: a pending one would hold the test process open.
  const grace = setTimeout(() => proc.child.kill('SIGKILL'), KILL_GRACE_MS);
  await proc.exited;
  clearTimeout(grace);
}

/** The process's log so far ('' when there is none yet). */
export function readLog(proc: Proc): Promise<string> {
  return fs.readFile(proc.log, 'utf8').catch(() => '');
}

/** Ports free on 127.0.0.1 right now (the kernel's choice; a rare clash is retried by the caller). */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<net.Server>((resolve, reject) => {
          const server = net.createServer();
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

/** Servers still running in this process, killed by the exit hook if a test never stops them. */
export const live = new Set<{ procs: Proc[]; dir: string }>();
let hooked = false;

export function installExitHook(): void {
  if (hooked) return;
  hooked = true;
  const killAll = () => {
    for (const { procs, dir } of live) {
      for (const proc of procs) if (proc.child.pid !== undefined) signal(proc.child.pid, 'SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
    live.clear();
  };
  process.once('exit', killAll);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      killAll();
      process.kill(process.pid, sig);
    });
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // Already gone.
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
