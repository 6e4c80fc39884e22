/**
 * How `serve --fleet` records fleet aggregates: in the job queue that owns the cache checkout
 * (never beside a deploy), on the branch head as the remote has it, pushed as report commits are
 * (a rejected push is rebased and retried there). Nothing changed: no commit, no push.
 */
import { openRepo } from '../../git/open-repo.js';
import type { Logger } from '../../log/logger.js';
import type { RemoteConfigRepo } from '../../remote/remote-config-repo.js';
import { REPOSITORY_DEFAULTS } from '../../resolve/resolve-defaults.js';
import type { ServeJobs } from '../../serve/serve-jobs.js';
import type { FleetAggregate } from '../aggregate/aggregate.js';
import { commitAggregates } from '../aggregate/commit-aggregates.js';

export function recordAggregatesIn(
  jobs: () => ServeJobs,
  repo: RemoteConfigRepo,
  logger: Logger,
): (aggregates: FleetAggregate[], environments: string[]) => Promise<void> {
  return (aggregates, environments) =>
    jobs().exclusive(async () => {
      await repo.sync();
      const committed = await commitAggregates({
        repo: await openRepo(repo.dir),
        reportsDir: jobs().reportsDir,
        author: jobs().author ?? REPOSITORY_DEFAULTS.author,
        aggregates,
        environments,
      });
      if (committed.length === 0) return;
      const pushed = await repo.push();
      logger.info(
        { commits: committed.map((c) => c.message), head: pushed.head, attempts: pushed.attempts },
        'fleet aggregates pushed',
      );
    });
}
