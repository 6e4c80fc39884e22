/**
 * Push-to-verified latency of `serve` (issue 4): a one-server change is pushed to a real
 * `git http-backend` remote, a signed GitHub push delivery is sent, and the time from the
 * delivery being received to the report pushed back is broken down by phase
 * (fetch → load → lock+reload → observe+plan → apply → verify → report → push). The target is
 * client-config writing Claude Code's config under a temp home, the server server-memory over
 * stdio, so `verify` includes that server's own start-up. Run alone:
 * `node --import tsx bench/push-to-verified.ts`.
 */

import { performance } from 'node:perf_hooks';
import type { ReconcileEvent } from '../src/serve/types.js';
import { createConfigRemote } from '../test/remote/config-remote.js';
import { deliverer, pushPayload } from '../test/serve/github-deliveries.js';
import { startRemoteServe } from '../test/serve/start-remote-serve.js';

const RUNS = Number(process.env.BENCH_PUSH_RUNS ?? 5);
const SECRET = 'bench-secret-4b1d';

const remote = await createConfigRemote();
const events: ReconcileEvent[] = [];
const serve = await startRemoteServe(remote, {
  githubRepo: 'Codertocat/Hello-World',
  webhookSecret: SECRET,
  bodyLimit: 1024 * 1024,
  extensions: [{ observer: { reconciled: (e) => events.push(e) } }],
});
const deliver = deliverer(serve.url, SECRET);

async function until(check: () => boolean, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

try {
  await until(() => events.length === 1); // the startup reconcile (first install of the server)
  if (events[0]?.error) throw events[0].error;
  const rows: { total: number; client: number; phases: Map<string, number> }[] = [];
  for (let i = 1; i <= RUNS; i++) {
    remote.pusher.write('servers/memory.yaml', remote.memoryServerYaml(`bench-${i}`));
    const sha = await remote.pusher.commitAndPush(`memory: bench-${i}`);
    const before = events.length;
    const sent = performance.now();
    const res = await deliver({ event: 'push', payload: pushPayload('main', sha) });
    if (res.status !== 202) throw new Error(`delivery answered ${res.status}: ${res.text}`);
    await until(() => events.length > before);
    const client = performance.now() - sent;
    const event = events.at(-1) as ReconcileEvent;
    if (event.error || event.revision !== sha || event.result?.failed)
      throw new Error(`run ${i} did not apply ${sha}`);
    const phases = new Map((event.phases ?? []).map((p) => [p.name, p.ms]));
    rows.push({ total: event.durationSeconds * 1000, client, phases });
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
  const names = [...new Set(rows.flatMap((r) => [...r.phases.keys()]))];
  process.stdout.write(`push-to-verified, one-server change, ${RUNS} runs (median, ms):\n`);
  for (const name of names)
    process.stdout.write(
      `  ${name.padEnd(14)} ${median(rows.map((r) => r.phases.get(name) ?? 0))
        .toFixed(1)
        .padStart(8)}\n`,
    );
  process.stdout.write(
    `  ${'total'.padEnd(14)} ${median(rows.map((r) => r.total))
      .toFixed(1)
      .padStart(8)}  (delivery received → report pushed)\n`,
  );
  process.stdout.write(
    `  ${'client view'.padEnd(14)} ${median(rows.map((r) => r.client))
      .toFixed(1)
      .padStart(8)}  (delivery sent → run recorded)\n`,
  );
  process.stdout.write('  goal: under 2000 ms plus the server start-up (inside verify)\n');
} finally {
  await serve.stop();
  await remote.close();
}
