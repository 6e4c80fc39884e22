/**
 * The reports committed at HEAD, read and parsed once per run. A recording `reconcile` needs them
 * three times — which servers to verify again (recheck-scope.ts), the tool surfaces they recorded
 * (surface-drift.ts) and the base the new reports build on (write-reports.ts) — and nothing commits
 * in between, so the three share one read: at 1,000 servers each read cost ~15 ms of a ~420 ms
 * no-op reconcile. Their texts are kept too: the READMEs' memo (readme-memo.ts) is keyed by them.
 */
import type { TargetReport } from '../core/report.js';
import type { GitRepo } from '../git/types.js';
import { readReportsAt } from './write-reports.js';

/** `reports/<env>/<target>.json` → its report, as committed at HEAD when first asked. */
export interface CommittedReports {
  (): Promise<ReadonlyMap<string, TargetReport>>;
  /** The same files' texts, by path. */
  texts(): Promise<ReadonlyMap<string, string>>;
}

export function committedReports(repo: GitRepo, reportsDir: string): CommittedReports {
  const texts = new Map<string, string>();
  let read: Promise<ReadonlyMap<string, TargetReport>> | undefined;
  const reports = () => {
    read ??= readReportsAt(repo, 'HEAD', reportsDir.replace(/\/+$/, ''), texts);
    return read;
  };
  const readTexts = async () => {
    await reports();
    return texts;
  };
  return Object.assign(reports, { texts: readTexts });
}
