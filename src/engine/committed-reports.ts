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
  /** The same files' texts, by path, and the commit they were read at (none: no commit yet). */
  texts(): Promise<{ commit: string | undefined; texts: ReadonlyMap<string, string> }>;
}

export function committedReports(repo: GitRepo, reportsDir: string): CommittedReports {
  const texts = new Map<string, string>();
  let commit: string | undefined;
  let read: Promise<ReadonlyMap<string, TargetReport>> | undefined;
  const readAtHead = async () => {
    commit = await repo.head();
    if (commit === undefined) return new Map<string, TargetReport>();
    return readReportsAt(repo, commit, reportsDir.replace(/\/+$/, ''), texts);
  };
  const reports = () => {
    read ??= readAtHead();
    return read;
  };
  const readTexts = async () => {
    await reports();
    return { commit, texts };
  };
  return Object.assign(reports, { texts: readTexts });
}
