/**
 * The revision a desired state belongs to: the newest commit at or before `rev` that is not one of
 * the reconciler's own report commits (trailer `Mcp-Gitops-Report: true`). Reports record this
 * revision, so committing a report never makes the next reconcile see a "new" revision.
 */
import { isReportCommit } from '../report/commit-message.js';
import type { GitRepo } from './types.js';

const FIRST_WALK = 200;

export async function configRevision(repo: GitRepo, rev = 'HEAD'): Promise<string | undefined> {
  if (rev === 'HEAD' && (await repo.head()) === undefined) return undefined;
  // Usually the config commit is a few report commits back; walk further only when it is not.
  for (const depth of [FIRST_WALK, Number.POSITIVE_INFINITY]) {
    const commits = await repo.log(rev, depth);
    const found = commits.find((c) => !isReportCommit(c.message));
    if (found) return found.oid;
    if (commits.length < depth) return commits.at(-1)?.oid;
  }
  return undefined;
}
