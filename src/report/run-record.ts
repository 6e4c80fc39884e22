/**
 * One run of a target as a record, and whether it goes into the report. A run is recorded only
 * when something changed or failed, or when the target stalled or drift was seen and the newest
 * recorded run does not say so already; a rerun with nothing to do records nothing, so
 * reports do not churn and a reconcile with nothing to do makes no commit.
 */
import type { ChangeResult, RunRecord } from '../core/report.js';

export const MAX_RUNS = 5;

export function runRecord(input: {
  revision: string | undefined;
  stalled: boolean;
  results: readonly ChangeResult[];
  drifted: number;
}): RunRecord {
  const changed = input.results.filter((r) => r.outcome === 'applied' && r.action !== 'noop').length;
  const failed = input.results.filter((r) => r.outcome === 'failed' || r.outcome === 'rolled-back').length;
  const result: RunRecord['result'] = input.stalled
    ? 'stalled'
    : failed > 0
      ? 'failed'
      : changed > 0
        ? 'success'
        : 'no-op';
  const record: RunRecord = { result, changed, failed, drifted: input.drifted };
  return input.revision === undefined ? record : { revision: input.revision, ...record };
}

export function isEventful(record: RunRecord, newest: RunRecord | undefined): boolean {
  // The same outcome at the same revision again (a failing revision retried by the steady loop,
  // a drift left alone seen again) is the run already recorded: one record, one commit.
  if (newest && sameRun(record, newest)) return false;
  if (record.changed > 0 || record.failed > 0) return true;
  if (record.result === 'no-op' && record.drifted === 0) return false;
  if (!newest) return true;
  return record.result !== newest.result || record.drifted !== newest.drifted;
}

/** Newest first, at most MAX_RUNS. */
export function appendRun(runs: readonly RunRecord[], record: RunRecord): RunRecord[] {
  return [record, ...runs].slice(0, MAX_RUNS);
}

function sameRun(a: RunRecord, b: RunRecord): boolean {
  return (
    a.revision === b.revision &&
    a.result === b.result &&
    a.changed === b.changed &&
    a.failed === b.failed &&
    a.drifted === b.drifted
  );
}
