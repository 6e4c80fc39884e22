/**
 * Record fleet aggregates in git: write `reports/<env>/fleet/<target>.json` and commit each file
 * whose text changed, one commit per target, as the reconciler's report commits are made (the
 * Repository's author, the `Mcp-Gitops-Report: true` trailer so the reconciler never reacts to
 * them, messages through the one redactor). An unchanged aggregate writes nothing and commits
 * nothing; a fleet target that left the repo has its file removed.
 *
 * The caller serialises this with every other writer of the same checkout (in `serve`, the job
 * queue that runs deploys) and pushes as report commits are pushed.
 */
import type { FileWrite, GitAuthor, GitRepo } from '../../git/types.js';
import { redactor } from '../../log/redact.js';
import { REPORT_TRAILER } from '../../report/commit-message.js';
import type { FleetAggregate } from './aggregate.js';
import { aggregateDir, aggregatePath, renderAggregate, summarize } from './render.js';

export interface CommitAggregatesInput {
  repo: GitRepo;
  /** The Repository's reports dir (`reports`). */
  reportsDir: string;
  author: GitAuthor;
  aggregates: readonly FleetAggregate[];
  /**
   * Environments whose fleet targets `aggregates` lists in full: an aggregate file of theirs with
   * no aggregate is removed. Default: none (nothing is removed).
   */
  environments?: readonly string[];
}

export interface CommittedAggregate {
  path: string;
  commit: string;
  message: string;
}

export async function commitAggregates(input: CommitAggregatesInput): Promise<CommittedAggregate[]> {
  const { repo } = input;
  const out: CommittedAggregate[] = [];
  const sorted = [...input.aggregates].sort((a, b) =>
    compare(`${a.environment}/${a.target}`, `${b.environment}/${b.target}`),
  );
  for (const a of sorted) {
    const file: FileWrite = {
      path: aggregatePath(input.reportsDir, a.environment, a.target),
      content: renderAggregate(a),
    };
    const changed = await repo.writeAndStage([file]);
    if (changed.length === 0) continue;
    out.push(await commit(input, file.path, `fleet(${a.environment}): ${summarize(a)}`));
  }
  if ((await repo.head()) === undefined) return out;
  for (const env of [...new Set(input.environments ?? [])].sort()) {
    const wanted = new Set(
      sorted.filter((a) => a.environment === env).map((a) => aggregatePath(input.reportsDir, env, a.target)),
    );
    const dir = aggregateDir(input.reportsDir, env);
    for (const path of (await repo.listFilesAt('HEAD', dir)).sort()) {
      if (wanted.has(path) || !/^[^/]+\.json$/.test(path.slice(dir.length + 1))) continue;
      const removed = await repo.removeAndStage([path]);
      if (removed.length === 0) continue;
      const target = path.slice(dir.length + 1, -'.json'.length);
      out.push(await commit(input, path, `fleet(${env}): ${target} is no longer a fleet target`));
    }
  }
  return out;
}

async function commit(
  input: CommitAggregatesInput,
  path: string,
  subject: string,
): Promise<CommittedAggregate> {
  const message = redactor.redact(`${subject}\n\n${REPORT_TRAILER}\n`);
  const commit = await input.repo.commit(message, input.author);
  return { path, commit, message };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
