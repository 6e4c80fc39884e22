/**
 * `mcp-gitops apply`: apply and verify, without recording reports in git (`reconcile` records).
 * With `--plan FILE`, applies a saved plan, refused when the repo or the targets moved since.
 * With `--dry-run`, prints the plan's field diff and stops before apply.
 */
import * as fs from 'node:fs/promises';
import type { Command } from 'commander';
import { McpGitopsError } from '../../core/errors.js';
import type { Plan } from '../../core/plan.js';
import { readPlanJson } from '../../plan/read-plan-json.js';
import { EXIT_ERROR } from '../exit-codes.js';
import { globalOptions } from '../global-options.js';
import { createProgress } from '../progress.js';

interface ApplyFlags {
  env?: string;
  target?: string;
  plan?: string;
  dryRun?: boolean;
}

export function register(program: Command): void {
  program
    .command('apply')
    .description('apply the plan to the targets and verify every changed server (no git record)')
    .option('--env <name>', 'only this environment')
    .option('--target <name>', 'only this target')
    .option('--plan <file>', 'apply a plan saved with `plan --out FILE` (refused if stale)')
    .option('--dry-run', 'stop before apply: show what would be done')
    .action(async (flags: ApplyFlags, cmd: Command) => {
      // Loaded on use, so other commands and --help start fast.
      const [{ reconcile }, { formatRun }, { renderPlanText }] = await Promise.all([
        import('../../engine/reconcile.js'),
        import('../../engine/format-run.js'),
        import('../../render/render-plan-text.js'),
      ]);
      const savedPlan = flags.plan ? await readSaved(flags.plan) : undefined;
      const scope = savedPlan ? scopeOf(savedPlan) : {};
      const progress = createProgress();
      const run = await reconcile({
        repoDir: globalOptions(cmd).repo ?? process.cwd(),
        environment: flags.env ?? scope.environment,
        target: flags.target ?? scope.target,
        dryRun: flags.dryRun === true,
        record: false,
        savedPlan,
        deps: { progress: progress.update },
      }).finally(() => progress.done());
      // A dry run shows what would be done: the same field diff `plan` prints.
      if (run.dryRun) {
        const color = process.stdout.isTTY === true && !process.env.NO_COLOR;
        process.stdout.write(`${renderPlanText(run.plan, { color })}\n`);
      }
      process.stdout.write(formatRun(run, 'Apply'));
      if (run.failed) process.exitCode = EXIT_ERROR;
    });
}

async function readSaved(file: string): Promise<Plan> {
  const text = await fs.readFile(file, 'utf8').catch((err: unknown) => {
    throw new McpGitopsError('ERR_PLAN_FILE', `cannot read the plan ${file}: ${(err as Error).message}`, {
      hint: 'save one with `mcp-gitops plan --out FILE`',
    });
  });
  return readPlanJson(text, file);
}

/** The --env / --target a saved plan was made with, as far as it tells. */
function scopeOf(plan: Plan): { environment?: string; target?: string } {
  const envs = [...new Set(plan.targets.map((t) => t.environment))];
  const targets = [...new Set(plan.targets.map((t) => t.target))];
  return {
    ...(plan.environments.length === 1
      ? { environment: plan.environments[0] }
      : envs.length === 1
        ? { environment: envs[0] }
        : {}),
    ...(targets.length === 1 ? { target: targets[0] } : {}),
  };
}
