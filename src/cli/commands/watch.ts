/**
 * `mcp-gitops watch`: keep targets at the committed config while you edit it (DESIGN.md §5, §7).
 * The desired state is always a commit, so saves validate and commits reconcile.
 */
import type { Command } from 'commander';
import { globalOptions } from '../global-options.js';

interface WatchFlags {
  env?: string;
  interval: string;
  debounce: string;
}

const HELP = `
What happens when:
  start          the working tree is validated, then the committed config is reconciled
  you save       the working tree is validated and its diagnostics are printed
                 (FILE:LINE:COL: error: ...); nothing is applied: the desired state is the last
                 committed config revision, never uncommitted edits
  you commit     HEAD moves to a new config revision: it is reconciled like \`mcp-gitops reconcile\`
                 (validate, plan, apply, verify, report commit and tag); the reconciler's own
                 report commits never trigger a reconcile
  every interval a steady pass observes every target and verifies every server, acting by
                 each environment's sync.drift: correct → repaired; warn / detect → printed
                 and recorded in the reports, not corrected

Ignored: .git (except HEAD and branch refs), the reports folder, node_modules.
Ctrl-C (SIGINT) or SIGTERM stops watching once the running step has finished.`;

export function register(program: Command): void {
  program
    .command('watch')
    .description(
      'validate the working tree on every save, reconcile on every commit, check drift periodically',
    )
    .option('--env <name>', 'only this environment')
    .option(
      '--interval <duration>',
      'how often every target is observed and every server verified (e.g. 30s, 5m, 1h)',
      '5m',
    )
    .option('--debounce <duration>', 'quiet time after file changes before acting', '500ms')
    .addHelpText('after', HELP)
    .action(async (flags: WatchFlags, cmd: Command) => {
      // Loaded on use, so other commands and --help start fast.
      const [{ parseDuration }, { watchRepo }, { resolveRepoOption }, { McpGitopsError }] = await Promise.all(
        [
          import('../parse-duration.js'),
          import('../../watch/watch-repo.js'),
          import('../../config/find-repo-root.js'),
          import('../../core/errors.js'),
        ],
      );
      const intervalMs = parseDuration(flags.interval, '--interval');
      if (intervalMs < 1000) {
        // Every check observes every target: sub-second checks would never stop running.
        throw new McpGitopsError(
          'ERR_USAGE',
          `--interval ${flags.interval}: steady passes need at least 1s`,
          {
            hint: 'e.g. --interval 30s or 5m',
          },
        );
      }
      const debounceMs = parseDuration(flags.debounce, '--debounce');
      const watcher = await watchRepo({
        repoDir: resolveRepoOption(globalOptions(cmd).repo),
        environment: flags.env,
        intervalMs,
        debounceMs,
        print: (text) => process.stdout.write(`${text}\n`),
      });
      await new Promise<void>((resolve) => {
        const stop = (signal: NodeJS.Signals) => {
          process.stdout.write(`${signal}: stopping after the running step\n`);
          // A second signal does not wait.
          process.once(signal, () => process.exit(130));
          resolve();
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await watcher.stop();
      process.stdout.write('stopped\n');
    });
}
