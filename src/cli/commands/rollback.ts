/**
 * `mcp-gitops rollback --env E --to TAG [--no-suspend] [--push]`: reconcile E to the desired state
 * at TAG, then tag anew. Unless --no-suspend, E is suspended first, in a commit of its own on the
 * branch (`suspend(E): rolled back to TAG`), as Argo CD turns auto-sync off on a rollback: the
 * next push, `watch` tick or `serve` delivery reads the branch head, finds E suspended and applies
 * nothing, so the rollback sticks until `mcp-gitops resume --env E`. The suspension is committed
 * before anything is applied (a rollback cut short is not undone either) and pushed in the same
 * push as the reports and the tag.
 * The rollback is an event of its own in git: a report commit `rollback(E): to TAG, N changed, F
 * failed, D drifted` (empty when no report changed) and a new tag of E (unless something failed)
 * whose message names the rollback and the config revision applied. Its output lists what it
 * keeps: servers the tag does not list that stay because the tag's `sync.prune` is false, and
 * targets the branch head has that the tag lacks (left untouched, not retired).
 */
import type { Command } from 'commander';
import { McpGitopsError } from '../../core/errors.js';
import { redactor } from '../../log/redact.js';
import { EXIT_ERROR } from '../exit-codes.js';
import { globalOptions } from '../global-options.js';
import { createProgress } from '../progress.js';

interface RollbackFlags {
  env: string;
  to: string;
  suspend: boolean;
  push?: boolean;
}

export function register(program: Command): void {
  program
    .command('rollback')
    .description(
      'reconcile an environment to the desired state of one of its tags, tag anew, and suspend it so a push does not undo it',
    )
    .requiredOption('--env <name>', 'the environment to roll back')
    .requiredOption('--to <tag>', 'a tag of that environment, e.g. prod/v1.4.0')
    .option(
      '--no-suspend',
      'do not suspend the environment: the next reconcile of the branch head undoes the rollback',
    )
    .option('--push', 'push the suspension, report commit and tag to the remote (http/https)')
    .action(async (flags: RollbackFlags, cmd: Command) => {
      // Loaded on use, so other commands and --help start fast.
      const [
        { reconcile, keptTargets },
        { formatRun },
        { openRepo },
        { loadDesired },
        suspension,
        { pushBranch, pushRemote },
        { formatRollbackKeeps },
      ] = await Promise.all([
        import('../../engine/reconcile.js'),
        import('../../engine/format-run.js'),
        import('../../git/open-repo.js'),
        import('../../engine/load-desired.js'),
        import('../../config-edit/commit-suspension.js'),
        import('../../config-edit/push-branch.js'),
        import('../../engine/format-rollback-keeps.js'),
      ]);
      const env = flags.env;
      const repoDir = globalOptions(cmd).repo ?? process.cwd();
      const repo = await openRepo(repoDir);
      const tags = await repo.listTags();
      if (!tags.includes(flags.to)) {
        const own = tags.filter((t) => t.startsWith(`${env}/`));
        throw new McpGitopsError('ERR_USAGE', `no tag "${flags.to}" in ${repo.dir}`, {
          hint: own.length > 0 ? `tags of ${env}: ${own.join(', ')}` : 'list the tags with `git tag -l`',
        });
      }
      const branch = await repo.currentBranch();
      if (!branch) {
        throw new McpGitopsError(
          'ERR_GIT',
          `${repo.dir} has a detached HEAD: a rollback commits to a branch`,
          {
            hint: 'check out the tracked branch first',
          },
        );
      }
      if (flags.push) await pushRemote(repo);
      // The tag's desired state must load before anything is committed.
      await loadDesired({ repoDir, rev: flags.to, environment: env });

      const lines: string[] = [];
      let head: { suspended: boolean; reason?: string };
      let suspendCommit: string | undefined;
      if (flags.suspend) {
        const res = await suspension.commitSuspension({
          repoDir,
          environment: env,
          suspend: true,
          reason: `rolled back to ${flags.to}`,
          body: ['A push does not undo the rollback while the environment is suspended.'],
        });
        lines.push(...res.warnings.map((w) => `warning: ${w}`));
        suspendCommit = res.commit;
        head = res.commit
          ? { suspended: true, reason: `rolled back to ${flags.to}` }
          : { suspended: true, ...(res.before.reason ? { reason: res.before.reason } : {}) };
      } else {
        const before = await suspension.readSuspension(repoDir, env);
        head = { suspended: before.suspended, ...(before.reason ? { reason: before.reason } : {}) };
      }

      const resume = `\`mcp-gitops resume --env ${env}\``;
      const outcome = !flags.suspend
        ? head.suspended
          ? `rolled back to ${flags.to}; ${env} was suspended already and stays so (--no-suspend does not resume it): ${resume} when ready`
          : `rolled back to ${flags.to}, not suspended (--no-suspend): the next reconcile of the branch head undoes it`
        : suspendCommit
          ? `rolled back to ${flags.to} and suspended ${env}: a push will not undo it; ${resume} when ready`
          : `rolled back to ${flags.to}; ${env} was suspended already and stays so: a push will not undo it; ${resume} when ready`;

      const progress = createProgress();
      let run: Awaited<ReturnType<typeof reconcile>>;
      try {
        run = await reconcile({
          repoDir,
          environment: env,
          rev: flags.to,
          rollback: { tag: flags.to },
          note: outcome,
          headSuspension: head,
          deps: { progress: progress.update },
        }).finally(() => progress.done());
      } catch (err) {
        if (suspendCommit)
          process.stderr.write(
            `${env} was suspended in commit ${suspendCommit.slice(0, 12)} before the rollback failed; ${resume} lifts it\n`,
          );
        throw err;
      }
      if (flags.push && (suspendCommit || run.commit || run.tags.length > 0)) {
        await pushBranch(repo, branch, run.tags);
        lines.push('Pushed.');
      }
      if (suspendCommit) {
        lines.unshift(
          `Suspended ${env}: committed ${suspendCommit.slice(0, 12)} (sync.suspend: true in the branch head).`,
        );
      }
      process.stdout.write(formatRun(run, 'Rollback'));
      const keeps = formatRollbackKeeps(run, flags.to, await keptTargets(repo.dir, run.desired, env));
      if (keeps.length > 0) lines.unshift(...keeps);
      if (run.tags.length === 0)
        lines.push(
          `No new tag of ${env}: the rollback did not fully succeed (see above); run it again once fixed.`,
        );
      lines.push(`${outcome[0]?.toUpperCase()}${outcome.slice(1)}.`);
      process.stdout.write(redactor.redact(`${lines.join('\n')}\n`));
      if (run.failed) process.exitCode = EXIT_ERROR;
    });
}
