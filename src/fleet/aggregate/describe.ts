/**
 * A fleet aggregate as `mcp-gitops status` prints it: the target's counts on one line, then the
 * rollout when it is not complete, then machines by the digest they run (release tag when known).
 */
import { formatPercent, waveLabel } from '../rollout/waves.js';
import type { FleetAggregate } from './aggregate.js';

export function describeAggregate(a: FleetAggregate): string[] {
  const pending = a.pending > 0 ? `, ${a.pending} pending` : '';
  const lines = [
    `${a.environment}/${a.target} [fleet, ${a.machines} machine${a.machines === 1 ? '' : 's'}]: ` +
      `${a.inSync} in sync, ${a.drifted} drifted, ${a.failing} failing, ${a.stale} stale${pending}`,
  ];
  const waves = a.rollout.waves.map(formatPercent).join(', ');
  if (a.rollout.state === 'halted')
    lines.push(`  rollout HALTED: ${a.rollout.reason ?? 'no reason recorded'} (waves ${waves})`);
  else if (a.rollout.state === 'progressing') {
    lines.push(`  rollout progressing: ${waveLabel(a.rollout.waves, a.rollout.wave)} open (waves ${waves})`);
    // Why the open wave waits, when every machine has answered (minHealthy not met).
    if (a.rollout.reason) lines.push(`  waiting: ${a.rollout.reason}`);
  }
  for (const [digest, { release, count }] of Object.entries(a.byDigest).sort(([x], [y]) => (x < y ? -1 : 1)))
    lines.push(`  ${release ?? 'unknown release'} (${digest}): ${count} machine${count === 1 ? '' : 's'}`);
  return lines;
}
