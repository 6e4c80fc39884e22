/**
 * `plan --verify-new` on the CLI: the plan's new specs, verified in scratch places, compared with
 * the locks of the config at the revision that was planned (the same commit, so a lock committed
 * with the version bump is the one the new version is held to).
 */
import { loadConfig } from '../../config/load-config.js';
import type { Plan } from '../../core/plan.js';
import { findLock } from '../lock/find-lock.js';
import { selectCandidates } from './select-candidates.js';
import type { VerifyNewResult } from './types.js';
import { type VerifyNewOptions, verifyNew } from './verify-new.js';

export async function verifyPlan(
  input: { repoDir: string; revision?: string; plan: Plan },
  options: Omit<VerifyNewOptions, 'lockFor'>,
): Promise<VerifyNewResult[]> {
  const candidates = selectCandidates(input.plan);
  if (candidates.length === 0) return [];
  const { config } = await loadConfig(
    input.revision
      ? { root: input.repoDir, source: 'revision', rev: input.revision }
      : { root: input.repoDir, source: 'worktree' },
  );
  return verifyNew(candidates, {
    ...options,
    lockFor: (server, version) => findLock(config, server, version),
  });
}
