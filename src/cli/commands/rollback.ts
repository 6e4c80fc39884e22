/** `mcp-gitops rollback --env E --to TAG`: reconcile E to the desired state at TAG, then tag anew. */
import type { Command } from 'commander';
import { McpGitopsError } from '../../core/errors.js';
import { EXIT_ERROR } from '../exit-codes.js';
import { globalOptions } from '../global-options.js';
import { createProgress } from '../progress.js';

interface RollbackFlags {
  env: string;
  to: string;
}

export function register(program: Command): void {
  program
    .command('rollback')
    .description('reconcile an environment to the desired state of one of its tags, then tag anew')
    .requiredOption('--env <name>', 'the environment to roll back')
    .requiredOption('--to <tag>', 'a tag of that environment, e.g. prod/v1.4.0')
    .action(async (flags: RollbackFlags, cmd: Command) => {
      // Loaded on use, so other commands and --help start fast.
      const [{ reconcile }, { formatRun }, { openRepo }] = await Promise.all([
        import('../../engine/reconcile.js'),
        import('../../engine/format-run.js'),
        import('../../git/open-repo.js'),
      ]);
      const repoDir = globalOptions(cmd).repo ?? process.cwd();
      const repo = await openRepo(repoDir);
      const tags = await repo.listTags();
      if (!tags.includes(flags.to)) {
        const own = tags.filter((t) => t.startsWith(`${flags.env}/`));
        throw new McpGitopsError('ERR_USAGE', `no tag "${flags.to}" in ${repo.dir}`, {
          hint:
            own.length > 0 ? `tags of ${flags.env}: ${own.join(', ')}` : 'list the tags with `git tag -l`',
        });
      }
      const progress = createProgress();
      const run = await reconcile({
        repoDir,
        environment: flags.env,
        rev: flags.to,
        note: `rollback to ${flags.to}`,
        deps: { progress: progress.update },
      }).finally(() => progress.done());
      process.stdout.write(formatRun(run, 'Rollback'));
      if (run.failed) process.exitCode = EXIT_ERROR;
    });
}
