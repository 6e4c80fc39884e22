/**
 * `serve` assembled: the remote config repo's cache checkout, the jobs (deploys and PR plans),
 * the HTTP routes (webhook, health, status, plus every extension's), an optional poll, and a
 * graceful stop that lets the running job finish.
 */
import { McpGitopsError } from '../core/errors.js';
import { createEngineDeps } from '../engine/default-deps.js';
import type { EngineDeps } from '../engine/types.js';
import type { ServeFleet } from '../fleet/hub/serve-fleet.js';
import type { Logger } from '../log/logger.js';
import type { FleetMetrics } from '../metrics/fleet-metrics.js';
import type { PrLimits } from '../pr-plan/plan-pull-request.js';
import type { PrTrustOptions } from '../pr-plan/trust.js';
import { RemoteConfigRepo } from '../remote/remote-config-repo.js';
import { DeathWatchers } from '../steady/death-watchers.js';
import { startSteadyTimer } from '../steady/steady-timer.js';
import { BodyBudget } from './body-budget.js';
import { clientAddress, parseTrustedProxies, sourceKey } from './client-address.js';
import { createServeApp, type ServeApp } from './create-serve-app.js';
import { type LeaderSettings, type Leadership, startLeadership } from './leader/serve-leadership.js';
import type { ShardSelector } from './leader/shard-selector.js';
import { resolveLimits, type ServeLimits } from './limits.js';
import { RateLimiter } from './rate-limiter.js';
import { ServeJobs } from './serve-jobs.js';
import { startFleet } from './start-fleet.js';
import { statusRoutes } from './status-routes.js';
import type { GitHubApi } from './sticky-comment.js';
import type { ServeExtension, ServeObserver } from './types.js';
import { createServeUi } from './ui-routes.js';
import { startUpdatesJob, type UpdatesJob, type UpdatesSettings, updatesPaths } from './updates-job.js';
import { type WebhookHandlers, webhookRoute } from './webhook-route.js';

export interface ServeOptions {
  host: string;
  port: number;
  remote: string;
  branch: string;
  stateDir: string;
  lockDir: string;
  gitToken?: string;
  webhookSecret?: string;
  /** Post plan comments when set. */
  github?: GitHubApi;
  /** OWNER/NAME when the remote URL is not the GitHub repository's own URL. */
  githubRepo?: string;
  pollMs?: number;
  /** The steady loop's interval (0 or unset: none); each wait is jittered by ±10%. */
  intervalMs?: number;
  bodyLimit: number;
  /** What the HTTP endpoint spends on strangers (defaults: DEFAULT_LIMITS in limits.ts). */
  limits?: Partial<ServeLimits>;
  /**
   * Proxies (addresses or CIDRs) whose `X-Forwarded-For` names the client; without them, or from
   * any other peer, the socket's address is the client.
   */
  trustProxy?: readonly string[];
  logger: Logger;
  extensions?: ServeExtension[];
  /** `--fleet`: host the fleet hub (src/fleet/hub/) with these settings. */
  fleet?: {
    publicHost?: string;
    staleAfterMs: number;
    /** The fleet gauges and check-in counter, on the registry of `/metrics`. */
    metrics?: FleetMetrics;
    /** Wait after a report before the aggregates are computed (default 5 s). */
    aggregateDebounceMs?: number;
  };
  /** Reconcile once at start (default true). */
  reconcileOnStart?: boolean;
  /** Who gets a plan of their pull request and the sandbox's limits (docs/security.md). */
  pullRequests?: { trust?: PrTrustOptions; limits?: Partial<PrLimits> };
  deps?: Partial<EngineDeps>;
  /**
   * `--leader-elect`: only the replica holding the Lease reconciles, plans and comments; the
   * others verify deliveries and hand them to it (src/serve/leader/). No reconcile at start: the
   * elector starts one when this replica takes the lease.
   */
  leader?: LeaderSettings;
  /** `--shard-selector`: only environments whose labels match are reconciled. */
  shard?: ShardSelector;
  /** `--updates-interval`: find updates (and `--updates-open-prs`: open their PRs) on a schedule. */
  updates?: UpdatesSettings;
}

export interface RunningServe {
  url: string;
  app: ServeApp;
  jobs: ServeJobs;
  repo: RemoteConfigRepo;
  /** Stop accepting, stop polling, let the running job finish (pending ones are dropped), close. */
  stop(): Promise<void>;
  /** `--fleet`: the hub, its rollouts and aggregates. */
  fleet?: ServeFleet;
  /** Run a steady tick now (an event: a served container died). */
  kick(): void;
  /** `--leader-elect`: the role and the leader. */
  leadership?: Leadership;
  /** `--updates-interval`: the scheduled updates runs. */
  updates?: UpdatesJob;
}

export async function startServe(options: ServeOptions): Promise<RunningServe> {
  const { logger } = options;
  const repo = new RemoteConfigRepo({
    url: options.remote,
    branch: options.branch,
    stateDir: options.stateDir,
    token: options.gitToken,
    logger,
  });
  // With the steady loop on, a served container's death (engine events) starts a pass at once.
  let jobsRef: ServeJobs | undefined;
  let leadership: Leadership | undefined;
  const deaths =
    options.intervalMs && options.intervalMs > 0
      ? new DeathWatchers(createEngineDeps(repo.dir, { logger, ...options.deps }), (notice) => {
          logger.warn({ ...notice }, 'a served container died: steady pass now');
          void jobsRef?.deploy('event');
        })
      : undefined;
  const observers: ServeObserver[] = [
    {
      reconciled: (e) => {
        if (e.result && deaths)
          deaths
            .update(e.result.desired)
            .catch((err: unknown) => logger.warn({ err: String(err) }, 'container death watchers'));
      },
    },
    ...(options.extensions ?? []).flatMap((x) => (x.observer ? [x.observer] : [])),
  ];
  // The status UI: pages from the cache checkout's reports, live updates on each finished reconcile.
  const ui = createServeUi({
    checkout: () => repo.dir,
    reportsDir: () => jobsRef?.reportsDir ?? 'reports',
    remote: options.remote,
    branch: options.branch,
    ready: () => (jobsRef?.synced ?? false) && repo.ready(),
    leadership: () => leadership?.status(),
    ...(options.updates ? { updates: updatesPaths(options.stateDir, options.remote).cacheDir } : {}),
  });
  observers.push(ui.observer);
  const limits = resolveLimits(options.limits);
  const trusted = options.trustProxy?.length ? parseTrustedProxies(options.trustProxy) : undefined;
  const fleet = options.fleet
    ? startFleet(options, options.fleet, repo, () => jobsRef as ServeJobs, trusted)
    : undefined;
  if (fleet?.extension.observer) observers.push(fleet.extension.observer);
  const observer = fanOut(observers, logger);
  if (limits.maxBytesInFlight < options.bodyLimit)
    throw new McpGitopsError(
      'ERR_USAGE',
      `bytes in flight (${limits.maxBytesInFlight}) below the body cap (${options.bodyLimit}): a full-size delivery could never be read`,
      { hint: 'raise --max-inflight-bytes or lower --max-body' },
    );
  const app = createServeApp({ logger, limits });
  const jobs = new ServeJobs({
    repo,
    lockDir: options.lockDir,
    purpose: `mcp-gitops serve pid ${process.pid}`,
    logger,
    observer,
    github: options.github,
    deps: options.deps,
    pullRequests: { ...options.pullRequests, token: options.gitToken, stateDir: options.stateDir },
    ...(options.intervalMs ? { retryBaseMs: options.intervalMs } : {}),
    ...(options.leader ? { gate: () => (options.leader as LeaderSettings).elector.mayAct() } : {}),
    ...(options.shard ? { shard: options.shard } : {}),
  });
  jobsRef = jobs;
  const local: WebhookHandlers = {
    push: () => void jobs.deploy('push'),
    pullRequest: (pr) => void jobs.plan(pr),
  };
  const tracked = () => ({
    url: options.remote,
    branch: options.branch,
    fullName: options.githubRepo,
    reportsDir: jobs.reportsDir,
  });
  app.addRoute(
    webhookRoute({
      secret: options.webhookSecret,
      tracked,
      bodyLimit: options.bodyLimit,
      logger,
      observer,
      clientOf: (req) => clientAddress(req, trusted),
      keyOf: sourceKey,
      rateLimiter: new RateLimiter({
        perSecond: limits.ratePerSecond,
        burst: limits.rateBurst,
        maxSources: limits.rateSources,
      }),
      budget: new BodyBudget(limits.maxBodiesInFlight, limits.maxBytesInFlight),
      bodyIdleTimeoutMs: limits.bodyIdleTimeoutMs,
      bodyTimeoutMs: limits.bodyTimeoutMs,
      handlers: { push: (...a) => handlers.push(...a), pullRequest: (...a) => handlers.pullRequest(...a) },
    }),
  );
  let handlers = local;
  for (const r of [
    ...statusRoutes({
      ready: () => (leadership ? leadership.ready(jobs.synced && repo.ready()) : jobs.synced && repo.ready()),
    }),
    ...ui.routes,
  ])
    app.addRoute(r);
  for (const x of options.extensions ?? []) for (const r of x.routes ?? []) app.addRoute(r);
  for (const r of fleet?.extension.routes ?? []) app.addRoute(r);

  const bound = await app.listen(options.host, options.port);
  logger.info({ url: bound.url, remote: options.remote, branch: options.branch }, 'serving');
  if (options.leader) {
    leadership = startLeadership(options.leader, jobs, local, logger);
    handlers = leadership.handlers;
  } else if (options.reconcileOnStart !== false) void jobs.deploy('startup');
  const updates = options.updates
    ? startUpdatesJob({
        ...options.updates,
        ...updatesPaths(options.stateDir, options.remote),
        remote: options.remote,
        branch: options.branch,
        ...(options.gitToken ? { token: options.gitToken } : {}),
        logger,
        ...(options.leader ? { gate: () => (options.leader as LeaderSettings).elector.mayAct() } : {}),
        onSaved: () => ui.live.check([{ kind: 'reconcile', env: '*' }]),
      })
    : undefined;
  const poll = options.pollMs ? setInterval(() => void jobs.deploy('poll'), options.pollMs) : undefined;
  poll?.unref();
  // The steady loop (DESIGN.md §7): every interval, every target observed and every server verified.
  const steady =
    options.intervalMs && options.intervalMs > 0
      ? startSteadyTimer({ intervalMs: options.intervalMs, tick: () => jobs.deploy('interval') })
      : undefined;

  let stopping: Promise<void> | undefined;
  return {
    url: bound.url,
    app,
    jobs,
    repo,
    ...(fleet ? { fleet } : {}),
    ...(updates ? { updates } : {}),
    get leadership() {
      return leadership;
    },
    kick: () => void jobs.deploy('event'),
    stop() {
      stopping ??= (async () => {
        if (poll) clearInterval(poll);
        await steady?.stop();
        await updates?.stop();
        ui.close();
        const closed = app.close();
        await jobs.coalescer.stop();
        await deaths?.close();
        await fleet?.stop();
        // The running job has finished: release the Lease so a follower takes over at once.
        await leadership?.stop();
        app.server.closeAllConnections();
        await closed;
        logger.info('stopped');
      })();
      return stopping;
    },
  };
}

function fanOut(observers: ServeObserver[], logger: Logger): ServeObserver {
  const each = (fn: (o: ServeObserver) => void) => {
    for (const o of observers) {
      try {
        fn(o);
      } catch (err) {
        logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'observer failed');
      }
    }
  };
  return {
    delivery: (event, outcome) => each((o) => o.delivery?.(event, outcome)),
    reconciled: (e) => each((o) => o.reconciled?.(e)),
  };
}
