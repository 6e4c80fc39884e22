/**
 * What `serve` runs: deploys (sync the cache checkout → reconcile every environment under their
 * host locks → push the report commit and tags) and pull-request plans (fetch the PR head → plan →
 * one sticky comment). All jobs share the cache checkout, so they run one at a time; triggers of
 * one kind coalesce (a burst of pushes = the running deploy + one more, on the newest head).
 * With leader election a `gate` (the fence) is asked before each job and again right before each
 * reconcile and each comment: a replica that is not (or no longer surely) the leader does nothing.
 * With a shard selector only the environments whose labels match are reconciled, one at a time.
 */
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadDesired } from '../engine/load-desired.js';
import { reconcile } from '../engine/reconcile.js';
import type { EngineDeps, RunResult } from '../engine/types.js';
import type { GitAuthor } from '../git/types.js';
import type { Logger } from '../log/logger.js';
import { redactor } from '../log/redact.js';
import {
  DEFAULT_PR_LIMITS,
  type PrLimits,
  type PrPlanOutcome,
  planPullRequest,
} from '../pr-plan/plan-pull-request.js';
import type { PrTrustOptions } from '../pr-plan/trust.js';
import type { RemoteConfigRepo } from '../remote/remote-config-repo.js';
import { Coalescer, SerialQueue } from '../schedule/coalescer.js';
import { acquireLock, type HostLock, lockFile } from '../schedule/host-lock.js';
import { RetryBackoff } from '../steady/retry-backoff.js';
import type { PullRequestPayload } from './github-events.js';
import { matchesShard, type ShardSelector } from './leader/shard-selector.js';
import { PhaseClock } from './phase-clock.js';
import { type GitHubApi, upsertStickyComment } from './sticky-comment.js';
import type { ReconcileEvent, ServeObserver, TriggerSource } from './types.js';

export type Job =
  | { kind: 'deploy'; trigger: TriggerSource; receivedAt?: number; verifyAll: boolean }
  | { kind: 'plan'; pr: PullRequestPayload };

export interface ServeJobsOptions {
  repo: RemoteConfigRepo;
  lockDir: string;
  /** Who holds the locks (shown to a waiting process). */
  purpose: string;
  logger: Logger;
  observer: ServeObserver;
  github?: GitHubApi;
  lockTimeoutMs?: number;
  /** Engine overrides (progress is added by serve). */
  deps?: Partial<EngineDeps>;
  /** The steady loop's interval: the first retry of a failed revision waits this long (then 2x, 4x...). */
  retryBaseMs?: number;
  /** How pull requests are planned: who is trusted, the sandbox's limits, the fetch token. */
  pullRequests?: {
    trust?: PrTrustOptions;
    limits?: Partial<PrLimits>;
    token?: string;
    /** Where scratch repositories of pull request heads live (default: beside the cache checkout). */
    stateDir?: string;
  };
  /**
   * `serve --leader-elect`: whether this replica may act now (leading, lease surely valid). Asked
   * before each job, before each reconcile and before posting a comment. Absent: always.
   */
  gate?: () => boolean;
  /** `--shard-selector`: only environments whose `metadata.labels` match are reconciled. */
  shard?: ShardSelector;
}

const RANK: Record<TriggerSource, number> = { poll: 0, interval: 1, event: 2, startup: 3, push: 4 };

/** Triggers of the steady loop: reconcile even when the revision is the same, and verify every server. */
const STEADY = new Set<TriggerSource>(['interval', 'event']);

export class ServeJobs {
  /** Config revision of the last completed deploy. */
  lastRevision: string | undefined;
  reportsDir = 'reports';
  /** The Repository's commit author, as the last deploy loaded it. */
  author: GitAuthor | undefined;
  /** Whether a first sync succeeded (readiness). */
  synced = false;
  /** How the last pull request plan ended (for tests and the status page). */
  lastPullRequest: PrPlanOutcome | undefined;
  readonly coalescer: Coalescer<Job>;
  private readonly queue = new SerialQueue();
  private readonly backoff: RetryBackoff;

  constructor(private readonly options: ServeJobsOptions) {
    this.backoff = new RetryBackoff(options.retryBaseMs ?? 300_000);
    this.coalescer = new Coalescer<Job>((_key, job) => this.queue.run(() => this.runJob(job)), {
      merge: (a, b) => (a.kind === 'deploy' && b.kind === 'deploy' ? mergeDeploy(a, b) : b),
      onError: (key, err) => options.logger.error({ job: key, err: message(err) }, 'job failed'),
    });
  }

  deploy(trigger: TriggerSource): Promise<void> {
    return this.coalescer.request('deploy', {
      kind: 'deploy',
      trigger,
      receivedAt: performance.now(),
      verifyAll: STEADY.has(trigger),
    }).done;
  }

  /**
   * Run `fn` in the queue every job runs in, so it has the cache checkout to itself (the fleet's
   * aggregate commits).
   */
  exclusive<R>(fn: () => Promise<R>): Promise<R> {
    return this.queue.run(fn);
  }

  plan(pr: PullRequestPayload): Promise<void> {
    return this.coalescer.request(`plan-${pr.number}`, { kind: 'plan', pr }).done;
  }

  /**
   * The fence. A follower skipping a job is routine (debug); losing the lease inside a job, before
   * its reconcile or comment, is worth a warning.
   */
  private fenced(what: string, inside = true): boolean {
    if (!this.options.gate || this.options.gate()) return false;
    const { logger } = this.options;
    if (inside) logger.warn({ job: what }, 'no longer surely the leader: not started');
    else logger.debug({ job: what }, 'not the leader: skipped');
    return true;
  }

  private async runJob(job: Job): Promise<void> {
    if (this.fenced(job.kind === 'deploy' ? `deploy (${job.trigger})` : `plan #${job.pr.number}`, false))
      return;
    return job.kind === 'deploy'
      ? this.runDeploy(job.trigger, job.receivedAt, job.verifyAll)
      : this.runPlan(job.pr);
  }

  private async runDeploy(
    trigger: TriggerSource,
    receivedAt: number | undefined,
    verifyAll: boolean,
  ): Promise<void> {
    const { repo, logger } = this.options;
    const clock = new PhaseClock(receivedAt);
    const emit = (event: Omit<ReconcileEvent, 'trigger' | 'durationSeconds' | 'finishedAt' | 'phases'>) => {
      const full: ReconcileEvent = {
        ...event,
        trigger,
        durationSeconds: clock.elapsedSeconds(),
        finishedAt: Date.now(),
        phases: clock.phases(),
      };
      try {
        this.options.observer.reconciled?.(full);
      } catch (err) {
        logger.warn({ err: message(err) }, 'observer failed');
      }
    };
    let revision: string | undefined;
    let envs: string[] = [];
    try {
      clock.mark('fetch');
      const synced = await repo.sync();
      this.synced = true;
      clock.mark('load');
      const loaded = await loadDesired({ repoDir: repo.dir });
      revision = loaded.revision;
      this.reportsDir = loaded.desired.repository.reportsDir;
      this.author = loaded.desired.repository.author;
      envs = loaded.desired.environments.map((e) => e.name).sort();
      const { shard } = this.options;
      if (shard) envs = envs.filter((e) => matchesShard(shard, loaded.environmentLabels.get(e)));
      if (trigger === 'poll' && revision === this.lastRevision) {
        logger.debug({ head: synced.head }, 'poll: config unchanged');
        return;
      }
    } catch (err) {
      logger.error({ trigger, err: message(err) }, 'cannot load the config to reconcile');
      emit({ environment: '*', revision, error: err });
      return;
    }
    clock.mark('lock+reload');
    const locks: HostLock[] = [];
    try {
      for (const env of envs) {
        locks.push(
          await acquireLock(lockFile(this.options.lockDir, env), {
            purpose: this.options.purpose,
            timeoutMs: this.options.lockTimeoutMs,
            onWait: (owner) =>
              logger.info({ environment: env, owner }, 'waiting for another process to finish'),
          }),
        );
      }
      logger.info({ environments: envs }, 'locks acquired');
      // Steady passes do not hammer a revision that failed: its environments back off.
      const hold = STEADY.has(trigger) && revision ? this.backoff.holds(revision, Date.now()) : undefined;
      if (hold?.size)
        logger.info({ environments: [...hold.keys()] }, 'holding failed environments (backoff)');
      // A shard reconciles its environments one by one: its reports, commits and tags are its own.
      // Unsharded, one run over everything (even no environment: removed ones' targets are retired).
      const scopes = this.options.shard ? envs.map((e) => [e]) : [envs];
      if (scopes.length === 0) logger.info('no environment matches the shard selector');
      const runs: { environments: string[]; result: RunResult }[] = [];
      for (const scope of scopes) {
        if (this.fenced('reconcile')) break;
        const result = await reconcile({
          repoDir: repo.dir,
          ...(this.options.shard ? { environment: scope[0] } : {}),
          recheck: verifyAll ? 'all' : 'stale',
          ...(hold?.size ? { hold } : {}),
          deps: { logger, ...this.options.deps, progress: (line) => clock.progress(line) },
        });
        runs.push({ environments: scope, result });
      }
      if (runs.some((r) => r.result.commit || r.result.tags.length > 0)) {
        clock.mark('push');
        const pushed = await repo.push();
        // A tag renamed because the remote had its name at another commit is shipped as the new name.
        for (const { result } of runs)
          result.tags = result.tags
            .map((t) => pushed.retagged.find((r) => r.from === t)?.to ?? t)
            .filter((t) => !pushed.superseded.includes(t));
        logger.info(
          { head: pushed.head, tags: pushed.tags, retagged: pushed.retagged, attempts: pushed.attempts },
          'reports pushed',
        );
      }
      if (runs.length === scopes.length) this.lastRevision = revision;
      for (const { environments, result } of runs) {
        if (revision) this.backoff.record(result, revision, Date.now());
        logger.info({ trigger, revision, failed: result.failed, tags: result.tags }, 'reconciled');
        for (const environment of environments) emit({ environment, revision, result });
      }
    } catch (err) {
      logger.error({ trigger, revision, err: message(err) }, 'reconcile failed');
      for (const environment of envs) emit({ environment, revision, error: err });
    } finally {
      for (const l of locks.reverse()) l.release();
      if (locks.length > 0) logger.info({ environments: envs }, 'locks released');
    }
  }

  private async runPlan(pr: PullRequestPayload): Promise<void> {
    const { repo, logger, github } = this.options;
    const settings = this.options.pullRequests ?? {};
    if (!repo.ready()) await repo.sync();
    const outcome = await planPullRequest({
      pr,
      url: repo.url,
      token: settings.token,
      baseDir: repo.dir,
      stateDir: settings.stateDir ?? path.dirname(repo.dir),
      trust: settings.trust ?? { untrusted: 'validate' },
      limits: { ...DEFAULT_PR_LIMITS, ...settings.limits },
      logger,
      deps: { logger, ...this.options.deps },
    });
    this.lastPullRequest = outcome;
    logger.info({ pr: pr.number, head: outcome.head, status: outcome.status }, 'planned pull request');
    if (!github || !outcome.markdown) return;
    if (this.fenced(`comment on #${pr.number}`)) return;
    const posted = await upsertStickyComment(
      github,
      { repo: pr.repository.full_name ?? '', number: pr.number },
      outcome.markdown,
    );
    logger.info({ pr: pr.number, comment: posted.id, created: posted.created }, 'plan comment posted');
  }
}

function mergeDeploy(a: Job & { kind: 'deploy' }, b: Job & { kind: 'deploy' }): Job {
  const verifyAll = a.verifyAll || b.verifyAll;
  return RANK[b.trigger] >= RANK[a.trigger]
    ? { ...b, verifyAll }
    : { ...a, receivedAt: b.receivedAt, verifyAll };
}

function message(err: unknown): string {
  return redactor.redact(err instanceof Error ? err.message : String(err));
}
