/**
 * The git side of the UI: the reconciler's report commits (its runs, newest first, with time and
 * subject), the tags and the commit they name, and one run's reports. Read with isomorphic-git
 * from the checkout and kept per HEAD commit and tag list, so a page render costs no git reads
 * while nothing moved.
 */
import * as fs from 'node:fs';
import type { TargetReport } from '../core/report.js';
import { readReportsAt } from '../engine/write-reports.js';
import { git } from '../git/iso-git.js';
import { openRepo } from '../git/open-repo.js';
import { isReportCommit } from '../report/commit-message.js';

export interface RunCommit {
  oid: string;
  /** Committer time, ISO 8601 UTC. */
  time: string;
  /** The environment in `reconcile(<env>): …` / `rollback(<env>): …`, or `*`. */
  environment: string;
  subject: string;
  rollback: boolean;
}

export interface TagRow {
  name: string;
  commit: string;
  message?: string;
}

export interface History {
  head?: string;
  runs: RunCommit[];
  tags: TagRow[];
}

/** How many commits back the history page looks. */
export const HISTORY_DEPTH = 500;

export class HistoryReader {
  private cached?: { key: string; history: History };
  private readonly runCache = new Map<string, RunDetail | undefined>();

  constructor(private readonly checkout: () => string) {}

  async read(): Promise<History> {
    const dir = this.checkout();
    let head: string;
    try {
      head = await git.resolveRef({ fs, dir, ref: 'HEAD' });
    } catch {
      return { runs: [], tags: [] };
    }
    const tagNames = (await git.listTags({ fs, dir }).catch(() => [] as string[])).sort();
    const key = `${head} ${tagNames.join(',')}`;
    if (this.cached?.key === key) return this.cached.history;
    const commits = await git.log({ fs, dir, ref: head, depth: HISTORY_DEPTH }).catch(() => []);
    const runs: RunCommit[] = [];
    for (const c of commits) {
      if (!isReportCommit(c.commit.message)) continue;
      const subject = c.commit.message.split('\n')[0] ?? '';
      const m = /^(reconcile|rollback)\(([^)]*)\)/.exec(subject);
      runs.push({
        oid: c.oid,
        time: new Date(c.commit.committer.timestamp * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        environment: m?.[2] ?? '*',
        subject,
        rollback: m?.[1] === 'rollback',
      });
    }
    const repo = await openRepo(dir);
    const tags: TagRow[] = [];
    for (const name of tagNames) {
      const info = await repo.readTag(name).catch(() => undefined);
      if (info) tags.push({ name, commit: info.commit, ...(info.message ? { message: info.message } : {}) });
    }
    const history = { head, runs, tags };
    this.cached = { key, history };
    return history;
  }

  /** One run: its commit and the environment's reports as that commit recorded them. */
  async run(oid: string, reportsDir: string): Promise<RunDetail | undefined> {
    if (!/^[0-9a-f]{40}$/.test(oid)) return undefined;
    if (this.runCache.has(oid)) return this.runCache.get(oid);
    const history = await this.read();
    const run = history.runs.find((r) => r.oid === oid);
    let detail: RunDetail | undefined;
    if (run) {
      const { commit } = await git.readCommit({ fs, dir: this.checkout(), oid });
      const repo = await openRepo(this.checkout());
      const reports = [...(await readReportsAt(repo, oid, reportsDir)).values()].filter(
        (r) => run.environment === '*' || r.environment === run.environment,
      );
      detail = { run, message: commit.message, reports };
    }
    // Commits never change: a found run is kept for good (bounded by the history's depth).
    if (detail) this.runCache.set(oid, detail);
    return detail;
  }
}

export interface RunDetail {
  run: RunCommit;
  /** The whole commit message (redacted when it was written). */
  message: string;
  reports: TargetReport[];
}
