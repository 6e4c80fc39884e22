/**
 * `mcp-gitops plan`: what a reconcile would do, without doing it (DESIGN.md §5), with the preflight
 * warnings of what apply would fail on. Warnings do not change the exit code (as Terraform's do
 * not) unless `--strict`, which makes them fail the command for CI.
 */
import * as fs from 'node:fs/promises';
import { type Command, Option } from 'commander';
import { formatDiagnostic } from '../../core/diagnostics.js';
import { McpGitopsError } from '../../core/errors.js';
import { EXIT_CHANGES, EXIT_ERROR } from '../exit-codes.js';
import { globalOptions } from '../global-options.js';
import { createProgress } from '../progress.js';

interface PlanFlags {
  env?: string;
  target?: string;
  format: 'text' | 'json' | 'markdown';
  out?: string;
  detailedExitcode?: boolean;
  strict?: boolean;
}

export function register(program: Command): void {
  program
    .command('plan')
    .description('observe the targets and show what a reconcile would change (touches nothing)')
    .option('--env <name>', 'only this environment')
    .option('--target <name>', 'only this target')
    .addOption(
      new Option('--format <format>', 'output format').choices(['text', 'json', 'markdown']).default('text'),
    )
    .option('--out <file>', 'also save the plan as JSON, for `apply --plan FILE`')
    .option('--detailed-exitcode', 'exit 2 when there are changes or drift')
    .option(
      '--strict',
      'exit 1 when the plan has warnings (a secret that does not resolve, a missing program)',
    )
    .action(async (flags: PlanFlags, cmd: Command) => {
      // Loaded on use, so other commands and --help start fast.
      const [
        { planRun },
        { planHasChanges },
        { renderPlanJson },
        { renderPlanMarkdown },
        { renderPlanText },
      ] = await Promise.all([
        import('../../engine/plan-run.js'),
        import('../../plan/summarize-plan.js'),
        import('../../render/render-plan-json.js'),
        import('../../render/render-plan-markdown.js'),
        import('../../render/render-plan-text.js'),
      ]);
      const progress = createProgress();
      const { plan, warnings } = await planRun({
        repoDir: globalOptions(cmd).repo ?? process.cwd(),
        environment: flags.env,
        target: flags.target,
        deps: { progress: progress.update },
      }).finally(() => progress.done());
      for (const w of warnings) process.stderr.write(`${formatDiagnostic(w)}\n`);
      const color = flags.format === 'text' && process.stdout.isTTY === true && !process.env.NO_COLOR;
      const text =
        flags.format === 'json'
          ? renderPlanJson(plan)
          : flags.format === 'markdown'
            ? renderPlanMarkdown(plan)
            : renderPlanText(plan, { color });
      process.stdout.write(text);
      if (flags.out) {
        await fs.writeFile(flags.out, renderPlanJson(plan)).catch((err: unknown) => {
          throw new McpGitopsError(
            'ERR_IO',
            `cannot write the plan to ${flags.out}: ${(err as Error).message}`,
          );
        });
      }
      if (plan.summary.stalled > 0 || plan.blocked.length > 0) process.exitCode = EXIT_ERROR;
      else if (flags.strict && (plan.warnings?.length ?? 0) > 0) process.exitCode = EXIT_ERROR;
      else if (flags.detailedExitcode && planHasChanges(plan.summary)) process.exitCode = EXIT_CHANGES;
    });
}
