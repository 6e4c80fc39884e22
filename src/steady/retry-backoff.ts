/**
 * Exponential backoff for environments whose last attempt at a revision failed: the steady loop
 * does not re-apply them every pass. The first retry comes after one interval, then two, four...
 * up to an hour; a new revision (someone fixed it) or a successful attempt resets it. While held,
 * an environment is still observed and verified, and its reports stay as the failed attempt
 * wrote them, so a broken revision makes one report commit, not one per pass.
 */
import type { RunResult } from '../engine/types.js';

const MAX_BACKOFF_MS = 3_600_000;

interface Failure {
  revision: string;
  attempts: number;
  retryAt: number;
}

export class RetryBackoff {
  private readonly failures = new Map<string, Failure>();

  constructor(private readonly baseMs: number) {}

  /** Environments to hold in a pass at `revision` now, with why. */
  holds(revision: string, now: number): Map<string, string> {
    const out = new Map<string, string>();
    for (const [env, f] of this.failures) {
      if (f.revision !== revision || now >= f.retryAt) continue;
      const secs = Math.ceil((f.retryAt - now) / 1000);
      out.set(
        env,
        `not applied: the last ${f.attempts === 1 ? 'attempt' : `${f.attempts} attempts`} at ${revision.slice(0, 12)} failed; retrying in ${secs} s`,
      );
    }
    return out;
  }

  /** What the run says about each environment it applied (held ones keep their state). */
  record(result: RunResult, revision: string, now: number): void {
    for (const env of result.plan.environments) {
      if (result.environments.find((e) => e.environment === env)?.held) continue;
      const failed = result.targets
        .filter((t) => t.environment === env)
        .some((t) => t.results.some((r) => r.outcome === 'failed' || r.outcome === 'rolled-back'));
      if (!failed) {
        this.failures.delete(env);
        continue;
      }
      const before = this.failures.get(env);
      const attempts = before && before.revision === revision ? before.attempts + 1 : 1;
      this.failures.set(env, {
        revision,
        attempts,
        retryAt: now + Math.min(this.baseMs * 2 ** (attempts - 1), MAX_BACKOFF_MS),
      });
    }
  }
}
