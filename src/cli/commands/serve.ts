/**
 * `mcp-gitops serve`: webhook + poll driven reconciles of a remote config repo, and the steady loop
 * that keeps observing and verifying between them (DESIGN.md §7).
 */
import type { Command } from 'commander';
import { McpGitopsError } from '../../core/errors.js';
import { DEFAULT_LIMITS as L } from '../../serve/limits.js';
import { DEFAULT_BODY_LIMIT } from '../../serve/read-body.js';
import { parseBytes, showBytes, showDuration } from '../parse-bytes.js';
import { parseDuration } from '../parse-duration.js';
import { addLeaderOptions, type LeaderFlags, leaderSettings } from './serve-leader-options.js';
import {
  type FleetFlags,
  fleetSettings,
  parseListen,
  type UpdatesFlags,
  updatesSettings,
} from './serve-options.js';
import { addPullRequestOptions, type PullRequestFlags, pullRequestSettings } from './serve-pull-requests.js';

/** The limits' defaults as `--help` shows them (src/serve/limits.ts has the reasons). */
const DEFAULTS = {
  maxBody: showBytes(DEFAULT_BODY_LIMIT),
  maxConnections: String(L.maxConnections),
  maxInflight: String(L.maxBodiesInFlight),
  maxInflightBytes: showBytes(L.maxBytesInFlight),
  rateLimit: String(L.ratePerSecond),
  rateBurst: String(L.rateBurst),
  headerTimeout: showDuration(L.headersTimeoutMs),
  bodyTimeout: showDuration(L.bodyIdleTimeoutMs),
  bodyDeadline: showDuration(L.bodyTimeoutMs),
  keepAliveTimeout: showDuration(L.keepAliveTimeoutMs),
};

interface ServeFlags extends PullRequestFlags, FleetFlags, LeaderFlags, UpdatesFlags {
  listen: string;
  remote: string;
  branch: string;
  webhookSecretFile?: string;
  gitTokenFile?: string;
  githubTokenFile?: string;
  githubApiUrl: string;
  githubRepo?: string;
  poll?: string;
  interval: string;
  stateDir?: string;
  lockDir?: string;
  maxBody: string;
  maxConnections: string;
  maxInflight: string;
  maxInflightBytes: string;
  rateLimit: string;
  rateBurst: string;
  trustProxy?: string[];
  headerTimeout: string;
  bodyTimeout: string;
  bodyDeadline: string;
  keepAliveTimeout: string;
}

export function register(program: Command): void {
  const command = program
    .command('serve')
    .description(
      'reconcile on GitHub webhooks (and a poll), post plans on pull requests, serve status and metrics',
    )
    .requiredOption(
      '--remote <url>',
      'the config repo (http/https URL) to clone, reconcile and push reports to',
    )
    .option('--branch <name>', 'the tracked branch', 'main')
    .option('--listen <host:port>', 'where to listen (loopback by default)', '127.0.0.1:8080')
    .option('--webhook-secret-file <file>', 'webhook secret (or env MCP_GITOPS_WEBHOOK_SECRET)')
    .option('--git-token-file <file>', 'token for the git remote (or env MCP_GITOPS_GIT_TOKEN)')
    .option('--github-token-file <file>', 'token for plan comments (or env MCP_GITOPS_GITHUB_TOKEN)')
    .option(
      '--github-api-url <url>',
      'GitHub REST API base (GitHub Enterprise: https://HOST/api/v3)',
      'https://api.github.com',
    )
    .option(
      '--github-repo <owner/name>',
      'the GitHub repository, when --remote is not its own URL (a mirror)',
    )
    .option('--poll <interval>', 'also fetch every interval (e.g. 60s, 5m) to catch missed deliveries')
    .option(
      '--interval <duration>',
      'the steady loop: observe every target, verify every server and act by sync.drift this often, jittered ±10% (off: 0)',
      '5m',
    )
    .option('--state-dir <dir>', 'where cache checkouts live (default ~/.local/state/mcp-gitops)')
    .option('--lock-dir <dir>', 'host-wide environment locks (default $TMPDIR/mcp-gitops-UID/locks)')
    .option('--max-body <bytes>', 'largest webhook body accepted (413 over it)', DEFAULTS.maxBody)
    .option(
      '--max-connections <n>',
      'connections open at once; more are closed as they arrive',
      DEFAULTS.maxConnections,
    )
    .option(
      '--max-inflight <n>',
      'webhook bodies read at once; more are answered 503 + Retry-After, unread',
      DEFAULTS.maxInflight,
    )
    .option(
      '--max-inflight-bytes <bytes>',
      'declared bytes of the webhook bodies read at once (at least --max-body); over: 503, unread',
      DEFAULTS.maxInflightBytes,
    )
    .option(
      '--rate-limit <per-second>',
      'webhook requests per second per client address (0: no limit); over: 429 + Retry-After',
      DEFAULTS.rateLimit,
    )
    .option('--rate-burst <n>', 'webhook requests a client address may send at once', DEFAULTS.rateBurst)
    .option(
      '--trust-proxy <cidr...>',
      'proxies (addresses or CIDRs) whose X-Forwarded-For names the client (default: none, the header is ignored)',
    )
    .option(
      '--header-timeout <duration>',
      'time to send request headers (slow clients: 408)',
      DEFAULTS.headerTimeout,
    )
    .option(
      '--body-timeout <duration>',
      'longest pause while a webhook body arrives (408)',
      DEFAULTS.bodyTimeout,
    )
    .option('--body-deadline <duration>', 'time to send a whole webhook body (408)', DEFAULTS.bodyDeadline)
    .option(
      '--keep-alive-timeout <duration>',
      'idle time before a kept-alive connection is closed (behind a load balancer: above its idle timeout)',
      DEFAULTS.keepAliveTimeout,
    )
    .option(
      '--fleet',
      'host the fleet hub: laptops running `mcp-gitops agent` enrol, pull bundles and report',
    )
    .option(
      '--fleet-public-host <host>',
      'how laptops reach this machine (name or IP): the host of servers a local process/container target serves them',
    )
    .option(
      '--fleet-stale-after <duration>',
      'a machine not seen for this long is stale: it does not gate rollout waves (default 1h)',
    )
    .option(
      '--fleet-aggregate-delay <duration>',
      'wait after an agent report before fleet counts are recomputed and, if changed, committed (default 5s)',
    )
    .option(
      '--updates-interval <duration>',
      'find newer server versions the update policies allow this often (e.g. 6h; off by default): status page, /metrics',
    )
    .option('--updates-open-prs', 'with --updates-interval: also open or refresh their pull requests');
  addLeaderOptions(addPullRequestOptions(command)).action(async (flags: ServeFlags) => {
    const [
      { startServe },
      { readToken },
      { defaultStateDir },
      { defaultLockDir },
      { createLogger },
      { createMetrics },
      { metricsExtension },
      { createFleetMetrics },
      { createUpdateMetrics },
    ] = await Promise.all([
      import('../../serve/start-serve.js'),
      import('../../remote/remote-auth.js'),
      import('../../remote/cache-path.js'),
      import('../../schedule/host-lock.js'),
      import('../../log/logger.js'),
      import('../../metrics/create-metrics.js'),
      import('../../metrics/metrics-extension.js'),
      import('../../metrics/fleet-metrics.js'),
      import('../../metrics/update-metrics.js'),
    ]);
    const { host, port } = parseListen(flags.listen);
    const metrics = createMetrics();
    const fleet = fleetSettings(flags, () => createFleetMetrics(metrics.registry));
    const updates = updatesSettings(flags, () => createUpdateMetrics(metrics.registry));
    const logger = createLogger({ level: process.env.MCP_GITOPS_LOG_LEVEL ?? 'info' });
    const leader = await leaderSettings(flags, {
      listenPort: port,
      registry: metrics.registry,
      logger,
      fleet: Boolean(flags.fleet),
    });
    const webhookSecret = readToken(
      { file: flags.webhookSecretFile, env: 'MCP_GITOPS_WEBHOOK_SECRET' },
      'webhook secret',
    );
    if (!webhookSecret)
      logger.warn('no webhook secret: every delivery is refused (401); only --poll triggers');
    const githubToken = readToken(
      { file: flags.githubTokenFile, env: 'MCP_GITOPS_GITHUB_TOKEN' },
      'GitHub token',
    );
    const running = await startServe({
      host,
      port,
      remote: flags.remote,
      branch: flags.branch,
      stateDir: flags.stateDir ?? defaultStateDir(),
      lockDir: flags.lockDir ?? defaultLockDir(),
      gitToken: readToken({ file: flags.gitTokenFile, env: 'MCP_GITOPS_GIT_TOKEN' }, 'git token'),
      webhookSecret,
      github: githubToken ? { baseUrl: flags.githubApiUrl, token: githubToken } : undefined,
      githubRepo: flags.githubRepo,
      pollMs: flags.poll ? parsePollInterval(flags.poll, '--poll') : undefined,
      intervalMs: flags.interval.trim() === '0' ? 0 : parsePollInterval(flags.interval, '--interval'),
      bodyLimit: parseBytes(flags.maxBody, '--max-body'),
      limits: {
        maxConnections: parseCount(flags.maxConnections, '--max-connections'),
        maxBodiesInFlight: parseCount(flags.maxInflight, '--max-inflight'),
        maxBytesInFlight: parseBytes(flags.maxInflightBytes, '--max-inflight-bytes'),
        ratePerSecond: parseRate(flags.rateLimit),
        rateBurst: parseCount(flags.rateBurst, '--rate-burst'),
        headersTimeoutMs: parseDuration(flags.headerTimeout, '--header-timeout'),
        bodyIdleTimeoutMs: parseDuration(flags.bodyTimeout, '--body-timeout'),
        bodyTimeoutMs: parseDuration(flags.bodyDeadline, '--body-deadline'),
        keepAliveTimeoutMs: parseDuration(flags.keepAliveTimeout, '--keep-alive-timeout'),
      },
      trustProxy: flags.trustProxy,
      pullRequests: pullRequestSettings(flags),
      ...fleet,
      ...updates,
      ...leader,
      logger,
      extensions: [metricsExtension(metrics)],
    });
    process.stderr.write(`mcp-gitops serve listening on ${running.url}\n`);
    const stop = (signal: string) => {
      logger.info({ signal }, 'stopping: the running reconcile finishes first');
      void running.stop().then(() => process.exit(0));
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}

/** A poll or steady-loop interval: a duration (shared parser) of at least one second. */
function parsePollInterval(value: string, option: string): number {
  const ms = parseDuration(value, option);
  if (ms < 1000) {
    throw new McpGitopsError('ERR_USAGE', `${option} ${value} is shorter than 1s`, {
      hint: 'e.g. 60s, 5m, 1h',
    });
  }
  return ms;
}

/** A whole number of at least 1. */
function parseCount(value: string, option: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) {
    throw new McpGitopsError('ERR_USAGE', `${option} ${value} is not a whole number of at least 1`);
  }
  return n;
}

/** Requests per second: a number, fractions allowed (0.5: one every 2 s); 0 turns the limit off. */
function parseRate(value: string): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value.trim()) || !Number.isFinite(n)) {
    throw new McpGitopsError('ERR_USAGE', `--rate-limit ${value} is not a number of requests per second`, {
      hint: 'e.g. --rate-limit 10, --rate-limit 0.5 (one every 2 s), --rate-limit 0 (no limit)',
    });
  }
  return n;
}
