/**
 * `mcp-gitops plan`: what a reconcile would do, without doing it (DESIGN.md §5), with the preflight
 * warnings of what apply would fail on. Warnings do not change the exit code (as Terraform's do
 * not) unless `--strict`, which makes them fail the command for CI. `--verify-new` also starts each
 * server spec the plan would create or update in a scratch place (never on a target) and shows its
 * tool surface against the approved lock (src/surface/verify-new/).
 */
import * as fs from 'node:fs/promises';
import { type Command, Option } from 'commander';
import { formatDiagnostic } from '../../core/diagnostics.js';
import { McpGitopsError } from '../../core/errors.js';
import {
  DEFAULT_VERIFY_NEW_SERVER_MS,
  DEFAULT_VERIFY_NEW_TOTAL_MS,
} from '../../surface/verify-new/limits.js';
import type { VerifyNewResult } from '../../surface/verify-new/types.js';
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
  verifyNew?: boolean;
  verifyRunning?: boolean;
  verifyNewTimeout?: number;
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
      'exit 1 when the plan has warnings (a secret that does not resolve, a missing program) or --verify-new flags a tool description (tool-description-hygiene)',
    )
    .option(
      '--verify-new',
      'start each new or changed server spec in a scratch place (temp dir and HOME, no secrets) and show its tools against the lock',
    )
    .option(
      '--verify-running',
      'also list the tools of each running server and show ToolsChanged where its surface differs from its lock (or last report)',
    )
    .addOption(
      new Option('--verify-new-timeout <seconds>', 'with --verify-new: limit per server')
        .argParser(positiveSeconds)
        .default(DEFAULT_VERIFY_NEW_SERVER_MS / 1000),
    )
    .action(async (flags: PlanFlags, cmd: Command) => {
      // Loaded on use, so other commands and --help start fast.
      const [
        { planRun },
        { planHasChanges },
        { renderPlanJson },
        { renderPlanMarkdown },
        { renderPlanText, renderPlanTextPieces },
      ] = await Promise.all([
        import('../../engine/plan-run.js'),
        import('../../plan/summarize-plan.js'),
        import('../../render/render-plan-json.js'),
        import('../../render/render-plan-markdown.js'),
        import('../../render/render-plan-text.js'),
      ]);
      const progress = createProgress();
      const repoDir = globalOptions(cmd).repo ?? process.cwd();
      const { plan, warnings, verified } = await (async () => {
        const run = await planRun({
          repoDir,
          environment: flags.env,
          target: flags.target,
          deps: { progress: progress.update },
          surfaces: flags.verifyRunning === true,
        });
        if (!flags.verifyNew) return { ...run, verified: undefined };
        const { verifyPlan } = await import('../../surface/verify-new/verify-plan.js');
        const perServerMs = (flags.verifyNewTimeout ?? DEFAULT_VERIFY_NEW_SERVER_MS / 1000) * 1000;
        const results = await verifyPlan(
          { repoDir, revision: run.desired.revision, plan: run.plan },
          {
            perServerMs,
            totalMs: Math.max(DEFAULT_VERIFY_NEW_TOTAL_MS, 3 * perServerMs),
            progress: (server, text) => progress.update(`${server}: ${text}`),
          },
        );
        return { ...run, verified: results };
      })().finally(() => progress.done());
      for (const w of warnings) process.stderr.write(`${formatDiagnostic(w)}\n`);
      const color = flags.format === 'text' && process.stdout.isTTY === true && !process.env.NO_COLOR;
      if (flags.format === 'text' && !verified) {
        // Written as it is rendered: a big plan's text is never held whole (stdout is synchronous
        // for files, pipes and terminals on Linux, so the pieces do not queue up instead).
        for (const piece of renderPlanTextPieces(plan, { color })) process.stdout.write(piece);
      } else {
        const text =
          flags.format === 'json'
            ? renderPlanJson(plan)
            : flags.format === 'markdown'
              ? renderPlanMarkdown(plan)
              : renderPlanText(plan, { color });
        process.stdout.write(verified ? await withVerified(text, flags.format, verified) : text);
      }
      if (flags.out) {
        await fs.writeFile(flags.out, renderPlanJson(plan)).catch((err: unknown) => {
          throw new McpGitopsError(
            'ERR_IO',
            `cannot write the plan to ${flags.out}: ${(err as Error).message}`,
          );
        });
      }
      // A new surface flagged by tool-description-hygiene is shown first in its section; like the
      // plan's warnings it fails the command under --strict (validate blocks its lock either way).
      const poisoned = verified?.some((r) => (r.hygiene?.length ?? 0) > 0) ?? false;
      if (plan.summary.stalled > 0 || plan.blocked.length > 0) process.exitCode = EXIT_ERROR;
      else if (flags.strict && ((plan.warnings?.length ?? 0) > 0 || poisoned)) process.exitCode = EXIT_ERROR;
      else if (flags.detailedExitcode && planHasChanges(plan.summary)) process.exitCode = EXIT_CHANGES;
    });
}

/** The plan's own output with the --verify-new section: after the text or Markdown, a key in JSON. */
async function withVerified(
  text: string,
  format: PlanFlags['format'],
  results: VerifyNewResult[],
): Promise<string> {
  const [{ redactor }, { renderVerifyNewMarkdown, renderVerifyNewText }] = await Promise.all([
    import('../../log/redact.js'),
    import('../../surface/verify-new/render-verify-new.js'),
  ]);
  if (format === 'json') {
    const data = JSON.parse(text) as Record<string, unknown>;
    return `${redactor.redact(JSON.stringify({ ...data, verifyNew: results }, null, 2))}\n`;
  }
  const section = format === 'markdown' ? renderVerifyNewMarkdown(results) : renderVerifyNewText(results);
  return redactor.redact(`${text.trimEnd()}\n${format === 'markdown' ? '\n' : ''}${section}`);
}

function positiveSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new McpGitopsError(
      'ERR_USAGE',
      `--verify-new-timeout must be a positive number of seconds, not "${value}"`,
    );
  return n;
}
