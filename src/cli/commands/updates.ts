/**
 * `mcp-gitops updates [--env E]... [--format text|json|markdown] [--worktree]`: the newer
 * versions each server's update policy allows, from its package's own registry
 * (src/updates/find-updates.ts), per server: current, proposed, the other allowed versions, the
 * held ones and why, and what could not be checked. The last run is saved for `ui`, the status page
 * and serve (src/updates/last-report.ts).
 *
 * Exit codes (DESIGN.md §5): 0 when the config was checked, updates pending or not: pending updates
 * are news, not an error (like Renovate; unlike `npm outdated`, which exits 1). A registry that is
 * down or answers garbage is shown on its servers and the run still exits 0, as Renovate's lookup
 * failures do, so one flaky registry does not fail a scheduled job; `--strict` makes it exit 1.
 * `--detailed-exitcode` exits 2 when an update is pending. Invalid config or usage: 1, as `plan`.
 */
import { type Command, Option } from 'commander';
import { EXIT_CHANGES, EXIT_ERROR } from '../exit-codes.js';
import { globalOptions } from '../global-options.js';

interface UpdatesFlags {
  env?: string[];
  format: 'text' | 'json' | 'markdown';
  worktree?: boolean;
  strict?: boolean;
  detailedExitcode?: boolean;
  openPrs?: boolean;
  dryRun?: boolean;
  gitTokenFile?: string;
}

export const UPDATES_HELP_AFTER = `
Exit codes:
  0  checked: updates pending or not, and even when some registry could not be asked
     (those servers show the error; --strict turns that into exit 1)
  1  invalid config, bad usage, or with --strict a server that could not be checked
  2  with --detailed-exitcode: at least one update is pending

Reads the committed config (as plan does); --worktree reads the working tree. Registry URLs and
credentials come from the Repository's updates.registries (by reference) or your npm config.`;

export function register(program: Command): void {
  program
    .command('updates')
    .description('list the newer server versions each update policy allows, from their registries')
    .addOption(
      new Option('--env <name>', 'only this environment (repeatable)')
        .argParser(collect)
        .default([] as string[], 'every environment'),
    )
    .addOption(
      new Option('--format <format>', 'output format').choices(['text', 'json', 'markdown']).default('text'),
    )
    .option('--worktree', 'read the working tree instead of the committed config')
    .option('--strict', 'exit 1 when a server could not be checked (its registry is down or answers garbage)')
    .option('--detailed-exitcode', 'exit 2 when an update is pending')
    .option(
      '--open-prs',
      'push a branch and open or update a pull request per update or group (updates-open-prs.ts)',
    )
    .option('--dry-run', 'with --open-prs: print what would be opened; ask the forge nothing, push nothing')
    .option(
      '--git-token-file <file>',
      'with --open-prs: token for pushing update branches to the git remote (or env MCP_GITOPS_GIT_TOKEN)',
    )
    .addHelpText('after', UPDATES_HELP_AFTER)
    .action(async (flags: UpdatesFlags, cmd: Command) => {
      const [{ findUpdates }, format, { renderUpdatesMarkdown }, { createProgress }] = await Promise.all([
        import('../../updates/find-updates.js'),
        import('./updates-format.js'),
        import('./updates-markdown.js'),
        import('../progress.js'),
      ]);
      const repoDir = globalOptions(cmd).repo ?? process.cwd();
      const progress = createProgress();
      const warnings: string[] = [];
      const report = await findUpdates({
        dir: repoDir,
        ...(flags.env && flags.env.length > 0 ? { environments: flags.env } : {}),
        ...(flags.worktree ? { worktree: true } : {}),
        progress: (text) => progress.update(text),
        warning: (line) => warnings.push(line),
      }).finally(() => progress.done());
      for (const line of warnings) process.stderr.write(`${line}\n`);
      // With --open-prs the run is saved after the pull requests, with what was done to them.
      const opening = flags.openPrs === true && flags.dryRun !== true;
      if (!opening) await saveForStatusPage(repoDir, report);
      const text =
        flags.format === 'json'
          ? format.renderUpdatesJson(report)
          : flags.format === 'markdown'
            ? renderUpdatesMarkdown(report)
            : format.renderUpdatesText(report);
      process.stdout.write(text);
      const summary = format.summarize(report);
      if (flags.openPrs) {
        const { runUpdatesOpenPrs } = await import('./updates-open-prs.js');
        const { openRepo } = await import('../../git/open-repo.js');
        const { readToken } = await import('../../remote/remote-auth.js');
        const gitToken = readToken({ file: flags.gitTokenFile, env: 'MCP_GITOPS_GIT_TOKEN' }, 'git token');
        const prs = await runUpdatesOpenPrs((await openRepo(repoDir)).dir, report, {
          dryRun: flags.dryRun === true,
          ...(gitToken ? { gitToken } : {}),
        });
        (flags.format === 'json' ? process.stderr : process.stdout).write(prs.text);
        if (opening) await saveForStatusPage(repoDir, report, prs.outcomes);
        if (prs.failed) process.exitCode = EXIT_ERROR;
      }
      if (process.exitCode === EXIT_ERROR) return;
      if (flags.strict && summary.errors > 0) process.exitCode = EXIT_ERROR;
      else if (flags.detailedExitcode && summary.pending > 0) process.exitCode = EXIT_CHANGES;
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** The status page, `ui` and serve show the last run; failing to save it never fails the command. */
async function saveForStatusPage(
  repoDir: string,
  report: import('../../updates/types.js').UpdatesReport,
  outcomes?: import('../../updates/types.js').PullRequestOutcome[],
): Promise<void> {
  try {
    const [{ openRepo }, { defaultStateDir }, { saveLastReport, updatesCacheDir }] = await Promise.all([
      import('../../git/open-repo.js'),
      import('../../remote/cache-path.js'),
      import('../../updates/last-report.js'),
    ]);
    const root = (await openRepo(repoDir)).dir;
    await saveLastReport(updatesCacheDir(defaultStateDir(), root), report, outcomes);
  } catch (err) {
    const { redactor } = await import('../../log/redact.js');
    process.stderr.write(
      `warning: could not save this run for the status page: ${redactor.redact((err as Error).message ?? String(err))}\n`,
    );
  }
}
