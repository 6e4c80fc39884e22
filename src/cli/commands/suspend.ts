/**
 * `mcp-gitops suspend --env E [--reason TEXT] [--push]`: a commit that sets `sync.suspend: true`
 * in the environment's file, so nothing is applied to it (reconcile, apply, serve, watch) until
 * `resume`; its targets are still observed and its drift reported.
 */
import type { Command } from 'commander';
import { redactor } from '../../log/redact.js';
import { globalOptions } from '../global-options.js';

interface SuspendFlags {
  env: string;
  reason?: string;
  push?: boolean;
}

export function register(program: Command): void {
  program
    .command('suspend')
    .description(
      'stop all applies to an environment (a commit setting sync.suspend); drift is still reported',
    )
    .requiredOption('--env <name>', 'the environment to suspend')
    .option('--reason <text>', 'why, for the commit, plan, status and the reports')
    .option('--push', 'push the commit to the remote (http/https), so serve sees it')
    .action(async (flags: SuspendFlags, cmd: Command) => {
      // Loaded on use, so other commands and --help start fast.
      const { commitSuspension } = await import('../../config-edit/commit-suspension.js');
      const env = flags.env;
      const res = await commitSuspension({
        repoDir: globalOptions(cmd).repo ?? process.cwd(),
        environment: env,
        suspend: true,
        ...(flags.reason === undefined ? {} : { reason: flags.reason }),
        push: flags.push === true,
      });
      const lines = res.warnings.map((w) => `warning: ${w}`);
      if (!res.commit) {
        const why = res.before.reason ? ` (${res.before.reason})` : '';
        lines.push(
          `${env} is already suspended${why}: sync.suspend is true in ${res.before.file}. Nothing committed.`,
        );
      } else {
        lines.push(
          `Suspended ${env}: committed ${res.commit.slice(0, 12)} on ${res.branch} (sync.suspend: true in ${res.before.file}).`,
          `Nothing is applied to ${env} until \`mcp-gitops resume --env ${env}\`; drift and held changes are still reported.`,
          res.pushed ? 'Pushed.' : 'Not pushed: run `git push` (or pass --push) so serve sees it.',
        );
      }
      process.stdout.write(redactor.redact(`${lines.join('\n')}\n`));
    });
}
