/**
 * `mcp-gitops status`: what the committed reports say (DESIGN.md §6); touches no target. Each
 * environment starts with the commit and time its reports were last recorded (`dev: as of
 * 1a2b3c4d5e6f (2026-12-05T03:40:00Z)`), so nobody mistakes an old record for a fresh look.
 * `--format html --out DIR` writes the status UI's pages as static files instead.
 */
import { type Command, Option } from 'commander';
import { McpGitopsError } from '../../core/errors.js';
import type { TargetReport } from '../../core/report.js';
import type { ReportsAsOf } from '../../engine/read-status.js';
import { describeAggregate } from '../../fleet/aggregate/describe.js';
import { redactor } from '../../log/redact.js';
import { globalOptions } from '../global-options.js';

interface StatusFlags {
  env?: string;
  format: 'text' | 'json' | 'html';
  out?: string;
}

export function register(program: Command): void {
  program
    .command('status')
    .description('show the state recorded in the committed reports (no target access)')
    .option('--env <name>', 'only this environment')
    .addOption(
      new Option('--format <format>', 'output format').choices(['text', 'json', 'html']).default('text'),
    )
    .option('--out <dir>', 'with --format html: the folder the status UI pages are written to')
    .action(async (flags: StatusFlags, cmd: Command) => {
      if (flags.format === 'html') {
        await exportHtml(globalOptions(cmd).repo ?? process.cwd(), flags);
        return;
      }
      // Loaded on use, so other commands and --help start fast.
      const { readStatus } = await import('../../engine/read-status.js');
      const status = await readStatus(globalOptions(cmd).repo ?? process.cwd(), flags.env);
      if (flags.format === 'json') {
        const out = {
          revision: status.revision,
          asOf: status.asOf,
          suspended: status.suspended,
          reports: status.reports,
          fleet: status.fleet,
        };
        process.stdout.write(redactor.redact(`${JSON.stringify(out, null, 2)}\n`));
        return;
      }
      const lines: string[] = status.suspended.map(
        (s) =>
          `${s.environment}: SUSPENDED (sync.suspend)${s.reason ? `: ${s.reason}` : ''}. Nothing is applied to it; ` +
          `\`mcp-gitops resume --env ${s.environment}\` ends the suspension.`,
      );
      if (lines.length > 0) lines.push('');
      if (status.reports.length === 0 && status.fleet.length === 0)
        lines.push(`No reports committed in ${status.reportsDir}/ yet. Run \`mcp-gitops reconcile\`.`);
      const envs = [...new Set([...status.reports, ...status.fleet].map((r) => r.environment))].sort();
      for (const env of envs) {
        lines.push(asOfLine(env, status.asOf));
        for (const r of status.reports.filter((x) => x.environment === env)) lines.push(...describe(r), '');
        for (const a of status.fleet.filter((x) => x.environment === env))
          lines.push(...describeAggregate(a), '');
      }
      lines.push(
        `Read from the reports at HEAD (${status.revision.slice(0, 12)}); "as of" is the commit that last changed an environment's reports.`,
      );
      process.stdout.write(redactor.redact(`${lines.join('\n')}\n`));
    });
}

/** `--format html --out DIR`: the status UI as static files (src/ui/static-export.ts). */
async function exportHtml(repoDir: string, flags: StatusFlags): Promise<void> {
  if (!flags.out)
    throw new McpGitopsError('ERR_USAGE', '--format html needs --out <dir>', {
      hint: 'e.g. mcp-gitops status --format html --out status-site',
    });
  if (flags.env)
    throw new McpGitopsError('ERR_USAGE', '--env does not apply to --format html', {
      hint: 'the export holds every environment; drop --env',
    });
  const { exportSite } = await import('../../ui/static-export.js');
  const { files } = await exportSite(repoDir, flags.out);
  process.stdout.write(`wrote ${files.length} files to ${flags.out} (open ${flags.out}/index.html)\n`);
}

function asOfLine(environment: string, asOf: readonly ReportsAsOf[]): string {
  const at = asOf.find((a) => a.environment === environment);
  return at
    ? `${environment}: as of ${at.commit.slice(0, 12)} (${at.time})`
    : `${environment}: as of a commit older than the history searched`;
}

function describe(r: TargetReport): string[] {
  const ready = r.conditions.find((c) => c.type === 'Ready');
  const stalled = r.conditions.find((c) => c.type === 'Stalled' && c.status === 'True');
  const state = stalled
    ? `Stalled (${stalled.reason})`
    : r.suspended
      ? `Suspended${ready?.status === 'True' ? ' (in sync)' : ''}`
      : ready?.status === 'True'
        ? 'Ready'
        : `Not ready (${ready?.reason ?? 'unknown'})`;
  const removed = r.retired
    ? `, removed from the repo${r.retired.environmentRemoved ? ' with its environment' : ''}`
    : '';
  const lines = [`${r.environment}/${r.target} [${r.provider} on ${r.host}${removed}]: ${state}`];
  if (ready?.message) lines.push(`  ${stalled?.message ?? ready.message}`);
  for (const e of r.inventory) {
    const tools = e.toolCount === undefined ? '' : `, ${e.toolCount} tools`;
    lines.push(`  ${e.server}${e.version ? ` ${e.version}` : ''} (${e.transport}): ${e.health}${tools}`);
  }
  for (const d of r.drift) lines.push(`  drift: ${d.server}: ${d.paths.join(', ')}`);
  if (r.revision.applied) lines.push(`  applied revision ${r.revision.applied.slice(0, 12)}`);
  return lines;
}
