/** `mcp-gitops reconcile`: the whole loop, recorded in git (DESIGN.md §3, §6). */
import type { Command } from 'commander';
import { EXIT_ERROR } from '../exit-codes.js';
import { globalOptions } from '../global-options.js';
import { createProgress } from '../progress.js';

interface ReconcileFlags {
  env?: string;
  commit: boolean;
  push?: boolean;
  verifyAll?: boolean;
}

export function register(program: Command): void {
  program
    .command('reconcile')
    .description('plan, apply, verify, then commit the reports and tag what shipped')
    .option('--env <name>', 'only this environment')
    .option('--no-commit', 'write the reports but make no commit and no tag')
    .option('--push', 'push the report commit and tags to the remote (http/https)')
    .option(
      '--verify-all',
      'verify every server over MCP, not only changed ones and those not known healthy (what serve and watch do every --interval)',
    )
    .action(async (flags: ReconcileFlags, cmd: Command) => {
      // Loaded on use, so other commands and --help start fast.
      const [{ reconcile }, { formatRun }] = await Promise.all([
        import('../../engine/reconcile.js'),
        import('../../engine/format-run.js'),
      ]);
      const progress = createProgress();
      const run = await reconcile({
        repoDir: globalOptions(cmd).repo ?? process.cwd(),
        environment: flags.env,
        commit: flags.commit,
        push: flags.push === true,
        ...(flags.verifyAll ? { recheck: 'all' as const } : {}),
        deps: { progress: progress.update },
      }).finally(() => progress.done());
      process.stdout.write(formatRun(run));
      if (run.failed) process.exitCode = EXIT_ERROR;
    });
}
