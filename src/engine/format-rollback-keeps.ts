/**
 * What a rollback leaves in place, for people: servers on a target that the tag does not list but
 * that stay because the tag's `sync.prune` is false, and targets the branch head has but the tag
 * does not (left untouched, their reports kept). Without these lines a rollback looks like it
 * restored the tag exactly, when the targets still run more than the tag declares.
 */
import { redactor } from '../log/redact.js';
import type { RunResult } from './types.js';

/** `keptTargets`: `env/target` the branch head has and the tag lacks (reconcile's `keptTargets`). */
export function formatRollbackKeeps(run: RunResult, tag: string, keptTargets: Iterable<string>): string[] {
  const lines: string[] = [];
  for (const tp of run.plan.targets) {
    if (tp.retired || tp.stalled) continue;
    const kept = tp.changes.filter((c) => c.reason === 'orphan-kept').map((c) => c.server);
    if (kept.length === 0) continue;
    lines.push(
      `${tp.environment}/${tp.target}: kept ${kept.join(', ')}: not in ${tag}, left running because sync.prune is false there`,
    );
  }
  for (const key of [...keptTargets].sort()) {
    lines.push(
      `${key}: kept as it is: the branch head has this target and ${tag} does not; nothing on it was touched and its report stays`,
    );
  }
  return lines.map((l) => redactor.redact(l));
}
