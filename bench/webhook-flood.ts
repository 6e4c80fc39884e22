/**
 * `serve` under a webhook flood (issue 10): the real CLI as its own process against a real
 * `git http-backend` remote, default limits. First the floor — /healthz latency with nothing else
 * going on — then 500 concurrent unsigned 1 MiB POSTs to /hooks/github (sent by a process of their
 * own, bench/flood-client.ts) with /healthz probed from here alongside (a new connection every
 * 10 ms, as a health checker would), and serve's RSS from /proc/<pid>/status before, at its peak,
 * and after. Run alone: `node --import tsx bench/webhook-flood.ts`.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createConfigRemote } from '../test/remote/config-remote.js';
import { memoryOf, resetPeak, sleep, startServeProcess } from '../test/serve/serve-process.js';
import { flood, healthzFloor, percentile, probeHealthz } from '../test/serve/webhook-flood.js';

const COUNT = Number(process.env.BENCH_FLOOD_COUNT ?? 500);
const MiB = 1024 * 1024;

const remote = await createConfigRemote();
const serve = await startServeProcess(remote, 'bench', { secret: 'bench-secret-91f3', logLevel: 'warn' });
try {
  await serve.ready();
  await sleep(2_000); // the startup reconcile's report push and verification children settle
  await flood(serve.url, { count: 20, bytes: MiB, localAddress: '127.0.1.1' }); // warm the refusal path
  const floor = await healthzFloor(serve.url, 3_000);

  await sleep(500);
  const before = memoryOf(serve.pid);
  const peakWasReset = resetPeak(serve.pid);
  let sampled = before.rss;
  const sampler = setInterval(() => {
    sampled = Math.max(sampled, memoryOf(serve.pid).rss);
  }, 5);
  const client = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      fileURLToPath(new URL('flood-client.ts', import.meta.url)),
      serve.url,
      String(COUNT),
      String(MiB),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const killer = setTimeout(() => client.kill('SIGKILL'), 120_000);
  let out = '';
  let started = 0;
  let flooding!: () => void;
  const sending = new Promise<void>((resolve) => {
    flooding = resolve;
  });
  client.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    if (out.includes('flooding\n')) flooding();
  });
  const exited = new Promise<void>((resolve) => client.once('exit', () => resolve()));
  await Promise.race([sending, exited]);
  started = performance.now();
  const probing = probeHealthz(serve.url, exited, { everyMs: 10, timeoutMs: 30_000 });
  await exited;
  clearTimeout(killer);
  const wall = performance.now() - started;
  const result = JSON.parse(out.split('\n')[1] ?? '') as {
    answers: Record<string, number>;
    accepted: number;
  };
  const during = await probing;
  clearInterval(sampler);
  const after = memoryOf(serve.pid);
  const peak = Math.max(sampled, after.rss, peakWasReset ? after.peak : 0);

  const mib = (n: number) => `${(n / MiB).toFixed(1)} MiB`;
  const ms = (n: number) => `${n.toFixed(1)} ms`.padStart(9);
  const row = (name: string, p: { latencies: number[]; failures: string[] }) =>
    `  ${name.padEnd(22)} p50 ${ms(percentile(p.latencies, 50))}  p99 ${ms(percentile(p.latencies, 99))}  (${p.latencies.length} probes${p.failures.length ? `, ${p.failures.length} failed` : ''})\n`;
  const answers = Object.entries(result.answers)
    .sort()
    .map(([k, v]) => `${k} × ${v}`)
    .join(', ');
  process.stdout.write(`webhook flood: ${COUNT} concurrent unsigned 1 MiB POSTs to /hooks/github\n`);
  process.stdout.write(
    `  answers                ${answers} (2xx: ${result.accepted}) in ${wall.toFixed(0)} ms\n`,
  );
  process.stdout.write(
    `  serve RSS              ${mib(before.rss)} before, ${mib(peak)} at peak (+${mib(peak - before.rss)}), ${mib(after.rss)} after\n`,
  );
  process.stdout.write(row('/healthz, no flood', floor));
  process.stdout.write(row('/healthz, during flood', during));
  process.stdout.write('  goal: no 2xx, RSS growth under 50 MiB, /healthz answering throughout\n');
} finally {
  await serve.stop();
  await remote.close();
}
