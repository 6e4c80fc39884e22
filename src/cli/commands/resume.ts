/**
 * `mcp-gitops resume --env E [--push]`: a commit that clears `sync.suspend` in the environment's
 * file; the next reconcile applies its desired state (the branch head's) again.
 */
import type { Command } from 'commander';
import { redactor } from '../../log/redact.js';
import { globalOptions } from '../global-options.js';

interface ResumeFlags {
  env: string;
  push?: boolean;
}

export function register(program: Command): void {
  program
    .command('resume')
    .description('apply to a suspended environment again (a commit clearing sync.suspend)')
    .requiredOption('--env <name>', 'the environment to resume')
    .option('--push', 'push the commit to the remote (http/https), so serve sees it')
    .action(async (flags: ResumeFlags, cmd: Command) => {
      // Loaded on use, so other commands and --help start fast.
      const { commitSuspension } = await import('../../config-edit/commit-suspension.js');
      const env = flags.env;
      const res = await commitSuspension({
        repoDir: globalOptions(cmd).repo ?? process.cwd(),
        environment: env,
        suspend: false,
        push: flags.push === true,
      });
      const lines = res.warnings.map((w) => `warning: ${w}`);
      if (!res.commit) {
        lines.push(`${env} is not suspended (${res.before.file}). Nothing committed.`);
      } else {
        lines.push(
          `Resumed ${env}: committed ${res.commit.slice(0, 12)} on ${res.branch} (sync.suspend cleared in ${res.before.file}).`,
          `The next reconcile applies ${env}'s desired state from the branch head.`,
          res.pushed ? 'Pushed.' : 'Not pushed: run `git push` (or pass --push) so serve sees it.',
        );
      }
      process.stdout.write(redactor.redact(`${lines.join('\n')}\n`));
    });
}
