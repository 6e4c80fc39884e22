/**
 * `npm run bench`: runs every benchmark below, one after the other, each in its own process.
 * Add yours to the list. Timing lives here, never in tests.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BENCHMARKS = [
  'validate.ts',
  'regex.ts',
  'engine.ts',
  'ssh.ts',
  'ssh-reconcile.ts',
  'push-to-verified.ts',
  'pr-plan.ts',
  'webhook-flood.ts',
  'process-recovery.ts',
  'container-recovery.ts',
  'steady-loop.ts',
  'surface.ts',
  'clients.ts',
  'scale.ts',
  'fleet.ts',
  'kube.ts',
  'kube-failover.ts',
  'ui.ts',
  'updates.ts',
];

let failed = 0;
for (const file of BENCHMARKS) {
  process.stdout.write(`\n== bench/${file}\n`);
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL(file, import.meta.url))],
    {
      stdio: 'inherit',
    },
  );
  if (result.status !== 0) {
    failed++;
    process.stdout.write(`bench/${file} failed (exit ${result.status ?? result.signal})\n`);
  }
}
process.exitCode = failed > 0 ? 1 : 0;
