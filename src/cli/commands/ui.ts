/**
 * `mcp-gitops ui`: browse the committed reports of a checkout in a web browser, the same pages
 * `serve` shows, read-only, updated live as the reports change (src/ui/run-ui.ts). Loopback
 * only unless `--expose`.
 */
import type { Command } from 'commander';
import { McpGitopsError } from '../../core/errors.js';
import { globalOptions } from '../global-options.js';

interface UiFlags {
  listen: string;
  expose?: boolean;
}

export function register(program: Command): void {
  program
    .command('ui')
    .description('serve the status UI read-only from the committed reports of a checkout (--repo)')
    .option('--listen <host:port>', 'where to listen (loopback only unless --expose)', '127.0.0.1:8081')
    .option('--expose', 'allow a non-loopback --listen address')
    .action(async (flags: UiFlags, cmd: Command) => {
      const [{ startUi, checkHost }, { createLogger }] = await Promise.all([
        import('../../ui/run-ui.js'),
        import('../../log/logger.js'),
      ]);
      const { host, port } = parseListen(flags.listen);
      checkHost(host, flags.expose === true);
      const logger = createLogger({ level: process.env.MCP_GITOPS_LOG_LEVEL ?? 'info' });
      const running = await startUi({
        repoDir: globalOptions(cmd).repo ?? process.cwd(),
        host,
        port,
        logger,
      });
      process.stderr.write(`mcp-gitops ui listening on ${running.url}\n`);
      const stop = () => void running.stop().then(() => process.exit(0));
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    });
}

function parseListen(value: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(value);
  const port = m ? Number(m[3]) : Number.NaN;
  if (!m || port > 65535)
    throw new McpGitopsError('ERR_USAGE', `--listen ${value} is not HOST:PORT`, {
      hint: 'e.g. --listen 127.0.0.1:8081',
    });
  return { host: m[1] ?? (m[2] || '127.0.0.1'), port };
}
