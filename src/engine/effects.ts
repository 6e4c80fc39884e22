/**
 * Dry-run is decided here and nowhere else. Every step that touches a target, runs a hook or
 * writes to git goes through `effects.run`; in a dry run the step is not executed, it declares
 * itself skipped (logged, and reported to the caller through `skipped`).
 */
import type { Logger } from '../log/logger.js';

export interface Effects {
  readonly dryRun: boolean;
  /** Steps that were skipped because of the dry run, in order. */
  readonly skipped: string[];
  run<T>(step: string, fn: () => Promise<T>, whenSkipped: T): Promise<T>;
}

export function createEffects(dryRun: boolean, logger?: Logger): Effects {
  const skipped: string[] = [];
  return {
    dryRun,
    skipped,
    async run<T>(step: string, fn: () => Promise<T>, whenSkipped: T): Promise<T> {
      if (!dryRun) return fn();
      skipped.push(step);
      logger?.info({ step }, 'dry run: step skipped');
      return whenSkipped;
    },
  };
}
