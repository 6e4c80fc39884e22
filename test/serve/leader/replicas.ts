/**
 * `mcp-gitops serve --leader-elect` replicas as real processes against one real API server and one
 * config remote, each with its own state and lock dir (so nothing but the Lease keeps two of them
 * from acting at once): start, read the role from /metrics, wait for a leader, kill or stop by PID.
 * Shared by test/serve/leader/ and bench/kube-failover.ts.
 */
import * as net from 'node:net';
import * as path from 'node:path';
import type { ConfigRemote } from '../../remote/config-remote.js';
import { type ServeProcess, sleep, startServeProcess } from '../serve-process.js';

export const SECRET = 'whsec-leader-5e1a';

export interface Replica extends ServeProcess {
  name: string;
  /** This replica's identity, from its `mcp_gitops_leader` series. */
  identity(): Promise<string>;
  leading(): Promise<boolean>;
  kill(): void;
}

export interface ReplicaOptions {
  kubeconfig: string;
  lease: string;
  /** The Lease's namespace; default `default`; null: none given (the kubeconfig context's). */
  namespace?: string | null;
  leaseDuration?: string;
  renewDeadline?: string;
  retryPeriod?: string;
  args?: string[];
}

export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export async function startReplica(remote: ConfigRemote, name: string, o: ReplicaOptions): Promise<Replica> {
  const port = await freePort();
  const proc = await startServeProcess(remote, name, {
    secret: SECRET,
    args: [
      '--listen',
      `127.0.0.1:${port}`,
      '--lock-dir',
      path.join(remote.base, `locks-${name}`),
      '--github-repo',
      'Codertocat/Hello-World',
      '--leader-elect',
      '--leader-elect-kubeconfig',
      o.kubeconfig,
      ...(o.namespace === null ? [] : ['--leader-elect-namespace', o.namespace ?? 'default']),
      '--leader-elect-lease',
      o.lease,
      '--leader-elect-advertise-url',
      `http://127.0.0.1:${port}`,
      '--lease-duration',
      o.leaseDuration ?? '4s',
      '--renew-deadline',
      o.renewDeadline ?? '3s',
      '--retry-period',
      o.retryPeriod ?? '500ms',
      ...(o.args ?? []),
    ],
  });
  const series = async () => {
    const text = await fetch(`${proc.url}/metrics`, { signal: AbortSignal.timeout(5000) }).then((r) =>
      r.text(),
    );
    const m = /^mcp_gitops_leader\{([^}]*)\} (\d+)$/m.exec(text);
    if (!m) throw new Error(`no mcp_gitops_leader in /metrics of ${name}`);
    const identity = /identity="([^"]*)"/.exec(m[1] ?? '')?.[1] ?? '';
    return { identity, value: Number(m[2]) };
  };
  return {
    ...proc,
    name,
    identity: async () => (await series()).identity,
    leading: async () => (await series().catch(() => ({ value: 0 }))).value === 1,
    kill: () => {
      try {
        process.kill(proc.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    },
  };
}

/** Polls until exactly one live replica leads; returns it. */
export async function waitForLeader(replicas: Replica[], timeoutMs = 30_000, stepMs = 50): Promise<Replica> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const live = replicas.filter((r) => r.child.exitCode === null && r.child.signalCode === null);
    const roles = await Promise.all(live.map((r) => r.leading()));
    const leaders = live.filter((_, i) => roles[i]);
    if (leaders.length === 1) return leaders[0] as Replica;
    if (leaders.length > 1) throw new Error(`${leaders.map((l) => l.name).join(' and ')} both lead`);
    if (Date.now() > until)
      throw new Error(`no leader among ${live.map((r) => r.name).join(', ')} in ${timeoutMs} ms`);
    await sleep(stepMs);
  }
}
