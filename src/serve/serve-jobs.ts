/**
 * What `serve` runs: deploys (sync the cache checkout → reconcile every environment under their
 * host locks → push the report commit and tags) and pull-request plans (fetch the PR head → plan →
 * one sticky comment). All jobs share the cache checkout, so they run one at a time; triggers of
 * one kind coalesce (a burst of pushes = the running deploy + one more, on the newest head).
 */
import * as fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import http from 'isomorphic-git/http/node';
import { McpGitopsError } from '../core/errors.js';
import { loadDesired } from '../engine/load-desired.js';
import { planRun } from '../engine/plan-run.js';
import { reconcile } from '../engine/reconcile.js';
import type { EngineDeps } from '../engine/types.js';
import { git } from '../git/iso-git.js';
import type { Logger } from '../log/logger.js';
import { redactor } from '../log/redact.js';
import type { RemoteConfigRepo } from '../remote/remote-config-repo.js';
import { renderPlanMarkdown } from '../render/render-plan-markdown.js';
import { Coalescer, SerialQueue } from '../schedule/coalescer.js';
import { acquireLock, type HostLock, lockFile } from '../schedule/host-lock.js';
import type { PullRequestPayload } from './github-events.js';
import { PhaseClock } from './phase-clock.js';
import { type GitHubApi, upsertStickyComment } from './sticky-comment.js';
import type { ReconcileEvent, ServeObserver, TriggerSource } from './types.js';

export type Job =
  | { kind: 'deploy'; trigger: TriggerSource; receivedAt?: number }
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
}

const RANK: Record<TriggerSource, number> = { poll: 0, startup: 1, push: 2 };

export class ServeJobs {
  /** Config revision of the last completed deploy. */
  lastRevision: string | undefined;
  reportsDir = 'reports';
  /** Whether a first sync succeeded (readiness). */
  synced = false;
  readonly coalescer: Coalescer<Job>;
  private readonly queue = new SerialQueue();

  constructor(private readonly options: ServeJobsOptions) {
    this.coalescer = new Coalescer<Job>((_key, job) => this.queue.run(() => this.runJob(job)), {
      merge: (a, b) => (a.kind === 'deploy' && b.kind === 'deploy' ? mergeDeploy(a, b) : b),
      onError: (key, err) => options.logger.error({ job: key, err: message(err) }, 'job failed'),
    });
  }

  deploy(trigger: TriggerSource): Promise<void> {
    return this.coalescer.request('deploy', { kind: 'deploy', trigger, receivedAt: performance.now() }).done;
  }

  plan(pr: PullRequestPayload): Promise<void> {
    return this.coalescer.request(`plan-${pr.number}`, { kind: 'plan', pr }).done;
  }

  private runJob(job: Job): Promise<void> {
    return job.kind === 'deploy' ? this.runDeploy(job.trigger, job.receivedAt) : this.runPlan(job.pr);
  }

  private async runDeploy(trigger: TriggerSource, receivedAt?: number): Promise<void> {
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
      envs = loaded.desired.environments.map((e) => e.name).sort();
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
      const result = await reconcile({
        repoDir: repo.dir,
        deps: { logger, ...this.options.deps, progress: (line) => clock.progress(line) },
      });
      if (result.commit || result.tags.length > 0) {
        clock.mark('push');
        const pushed = await repo.push();
        logger.info({ head: pushed.head, tags: pushed.tags, attempts: pushed.attempts }, 'reports pushed');
      }
      this.lastRevision = revision;
      logger.info({ trigger, revision, failed: result.failed, tags: result.tags }, 'reconciled');
      for (const environment of envs) emit({ environment, revision, result });
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
    if (!repo.ready()) await repo.sync();
    const head = await this.fetchPullHead(pr);
    let markdown: string;
    try {
      const { plan } = await planRun({
        repoDir: repo.dir,
        rev: head,
        deps: { logger, ...this.options.deps },
      });
      plan.revision = head;
      markdown = renderPlanMarkdown(plan);
    } catch (err) {
      markdown = failedPlanMarkdown(head, err);
    }
    logger.info({ pr: pr.number, head }, 'planned pull request');
    if (!github) return;
    const posted = await upsertStickyComment(
      github,
      { repo: pr.repository.full_name ?? '', number: pr.number },
      markdown,
    );
    logger.info({ pr: pr.number, comment: posted.id, created: posted.created }, 'plan comment posted');
  }

  /** Fetch the PR head into the cache repo's object store (the checkout does not move). */
  private async fetchPullHead(pr: PullRequestPayload): Promise<string> {
    const { repo } = this.options;
    const sha = pr.pull_request.head.sha;
    const known = await git.readObject({ fs, dir: repo.dir, oid: sha }).then(
      () => true,
      () => false,
    );
    if (known) return sha;
    const fetched = await git.fetch({
      fs,
      http,
      dir: repo.dir,
      url: repo.url,
      ref: `refs/pull/${pr.number}/head`,
      singleBranch: true,
      tags: false,
      onAuth: repo.auth,
    });
    return fetched.fetchHead ?? sha;
  }
}

function mergeDeploy(a: Job & { kind: 'deploy' }, b: Job & { kind: 'deploy' }): Job {
  return RANK[b.trigger] >= RANK[a.trigger] ? b : { ...a, receivedAt: b.receivedAt };
}

function failedPlanMarkdown(head: string, err: unknown): string {
  const lines = [
    '### mcp-gitops plan',
    '',
    `Revision \`${head}\``,
    '',
    '**The plan could not be made.**',
    '',
  ];
  const text = err instanceof McpGitopsError ? [err.message, ...(err.details ?? [])] : [message(err)];
  lines.push('```', ...text.map((l) => redactor.redact(l)), '```');
  if (err instanceof McpGitopsError && err.hint) lines.push('', redactor.redact(err.hint));
  return `${lines.join('\n')}\n`;
}

function message(err: unknown): string {
  return redactor.redact(err instanceof Error ? err.message : String(err));
}
