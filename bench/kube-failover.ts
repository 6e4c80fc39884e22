/**
 * Leader failover of `serve --leader-elect` (issue 17): two real replica processes against a real
 * kube-apiserver + etcd (test/helpers/kube-apiserver.ts) and a real git remote. Each round starts
 * a fresh pair on a Lease of its own, waits until the leader has reconciled, then either SIGKILLs
 * the leader (the follower must wait for the lease to expire) or SIGTERMs it (it releases the
 * Lease on the way out); the time is from the signal to the follower's own "leading" log line.
 * Median of BENCH_FAILOVER_ROUNDS (default 3) next to the configured lease duration.
 * Run alone: `node --import tsx bench/kube-failover.ts`.
 */
import { startKubeApiServer } from '../test/helpers/kube-apiserver.js';
import { createConfigRemote } from '../test/remote/config-remote.js';
import { type Replica, startReplica, waitForLeader } from '../test/serve/leader/replicas.js';
import { sleep } from '../test/serve/serve-process.js';

const ROUNDS = Math.max(3, Number(process.env.BENCH_FAILOVER_ROUNDS ?? 3));
const TIMINGS = { leaseDuration: '15s', renewDeadline: '10s', retryPeriod: '2s' };
const LEASE_MS = 15_000;

const [api, remote] = await Promise.all([startKubeApiServer(), createConfigRemote()]);
const all: Replica[] = [];
const results: Record<'SIGKILL' | 'SIGTERM', number[]> = { SIGKILL: [], SIGTERM: [] };
try {
  for (const signal of ['SIGKILL', 'SIGTERM'] as const) {
    for (let round = 0; round < ROUNDS; round++) {
      const lease = `bench-${signal.toLowerCase()}-${round}`;
      const opts = { kubeconfig: api.adminKubeconfig, lease, ...TIMINGS };
      const pair = [
        await startReplica(remote, `${lease}-a`, opts),
        await startReplica(remote, `${lease}-b`, opts),
      ];
      all.push(...pair);
      const leader = await waitForLeader(pair, 60_000);
      const follower = pair.find((r) => r !== leader) as Replica;
      await Promise.all(pair.map((r) => r.ready()));
      // Let the leader's first reconcile finish, so SIGTERM measures the release, not a running job.
      while (!leader.lines.some((l) => l.msg === 'reconciled')) await sleep(100);
      await sleep(1000);
      const at = Date.now();
      process.kill(leader.pid, signal);
      const until = at + 3 * LEASE_MS;
      let leading: number | undefined;
      while (leading === undefined) {
        leading = follower.lines.find((l) => l.msg === 'leading')?.time as number | undefined;
        if (Date.now() > until) throw new Error(`${signal}: no takeover in ${3 * LEASE_MS} ms`);
        await sleep(20);
      }
      results[signal].push(leading - at);
      process.stdout.write(`${signal} round ${round + 1}: ${leading - at} ms\n`);
      await Promise.all(pair.map((r) => r.stop()));
    }
  }
} finally {
  for (const r of all) r.kill();
  await api.stop();
  await remote.close();
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};
const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
process.stdout.write(
  [
    '',
    `leader failover, ${ROUNDS} rounds each (lease ${TIMINGS.leaseDuration}, renew deadline ${TIMINGS.renewDeadline}, retry ${TIMINGS.retryPeriod})`,
    row(['leader stopped by', 'median', 'min', 'max', 'lease duration']),
    row(['---', '---', '---', '---', '---']),
    ...(['SIGKILL', 'SIGTERM'] as const).map((s) =>
      row([
        s,
        `${(median(results[s]) / 1000).toFixed(2)} s`,
        `${(Math.min(...results[s]) / 1000).toFixed(2)} s`,
        `${(Math.max(...results[s]) / 1000).toFixed(2)} s`,
        `${LEASE_MS / 1000} s`,
      ]),
    ),
    '',
  ].join('\n'),
);
