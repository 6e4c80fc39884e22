/** `mcp-gitops serve`: webhook + poll driven reconciles of a remote config repo (DESIGN.md §7). */
import type { Command } from 'commander';
import { McpGitopsError } from '../../core/errors.js';
import { parseDuration } from '../parse-duration.js';

interface ServeFlags {
  listen: string;
  remote: string;
  branch: string;
  webhookSecretFile?: string;
  gitTokenFile?: string;
  githubTokenFile?: string;
  githubApiUrl: string;
  githubRepo?: string;
  poll?: string;
  stateDir?: string;
  lockDir?: string;
  maxBody: string;
}

export function register(program: Command): void {
  program
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
    .option('--state-dir <dir>', 'where cache checkouts live (default ~/.local/state/mcp-gitops)')
    .option('--lock-dir <dir>', 'host-wide environment locks (default $TMPDIR/mcp-gitops-UID/locks)')
    .option('--max-body <bytes>', 'largest webhook body accepted', String(1024 * 1024))
    .action(async (flags: ServeFlags) => {
      const [
        { startServe },
        { readToken },
        { defaultStateDir },
        { defaultLockDir },
        { createLogger },
        { createMetrics },
        { metricsExtension },
      ] = await Promise.all([
        import('../../serve/start-serve.js'),
        import('../../remote/remote-auth.js'),
        import('../../remote/cache-path.js'),
        import('../../schedule/host-lock.js'),
        import('../../log/logger.js'),
        import('../../metrics/create-metrics.js'),
        import('../../metrics/metrics-extension.js'),
      ]);
      const { host, port } = parseListen(flags.listen);
      const logger = createLogger({ level: process.env.MCP_GITOPS_LOG_LEVEL ?? 'info' });
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
        pollMs: flags.poll ? parsePollInterval(flags.poll) : undefined,
        bodyLimit: parseBytes(flags.maxBody),
        logger,
        extensions: [metricsExtension(createMetrics())],
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

function parseListen(value: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(value);
  const port = m ? Number(m[3]) : Number.NaN;
  if (!m || port > 65535) {
    throw new McpGitopsError('ERR_USAGE', `--listen ${value} is not HOST:PORT`, {
      hint: 'e.g. --listen 127.0.0.1:8080 (use 0.0.0.0:8080 only behind a proxy)',
    });
  }
  return { host: m[1] ?? (m[2] || '127.0.0.1'), port };
}

/** A poll interval: a duration (shared parser) of at least one second. */
function parsePollInterval(value: string): number {
  const ms = parseDuration(value, '--poll');
  if (ms < 1000) {
    throw new McpGitopsError('ERR_USAGE', `--poll ${value} is shorter than 1s`, { hint: 'e.g. 60s, 5m, 1h' });
  }
  return ms;
}

function parseBytes(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    throw new McpGitopsError('ERR_USAGE', `--max-body ${value} is not a positive number of bytes`, {
      hint: 'e.g. --max-body 1048576 (1 MiB, the default)',
    });
  }
  return n;
}
