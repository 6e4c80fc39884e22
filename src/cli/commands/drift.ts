/**
 * `mcp-gitops drift`: observe + diff only; what differs between the targets and the repo. Each
 * drifted item comes with the reason `reconcile` would give for it (why a client file cannot be
 * read, why a process or container is down, with its exit and last log lines). Running servers are
 * spoken to over MCP too: a tool surface that differs from its lock (or last report) is
 * `ToolsChanged` drift, printed tool by tool with escalations marked. Plaintext secrets in client
 * entries mcp-gitops does not manage are printed as warnings; they are not drift and do not make
 * `--detailed-exitcode` exit 2.
 */
import type { Command } from 'commander';
import { formatDiagnostic } from '../../core/diagnostics.js';
import type { Change } from '../../core/plan.js';
import { redactor } from '../../log/redact.js';
import { planHasChanges } from '../../plan/summarize-plan.js';
import { formatPlanWarning } from '../../render/describe-warning.js';
import { renderToolsDriftText } from '../../surface/render-tools-drift.js';
import { EXIT_CHANGES, EXIT_ERROR } from '../exit-codes.js';
import { globalOptions } from '../global-options.js';
import { createProgress, safeLine } from '../progress.js';

interface DriftFlags {
  env?: string;
  detailedExitcode?: boolean;
}

export function register(program: Command): void {
  program
    .command('drift')
    .description('observe the targets and list what differs from the repo (changes nothing)')
    .option('--env <name>', 'only this environment')
    .option('--detailed-exitcode', 'exit 2 when anything drifted or is out of sync')
    .action(async (flags: DriftFlags, cmd: Command) => {
      // Loaded on use, so other commands and --help start fast.
      const { planRun } = await import('../../engine/plan-run.js');
      const progress = createProgress();
      const { plan, warnings } = await planRun({
        repoDir: globalOptions(cmd).repo ?? process.cwd(),
        environment: flags.env,
        deps: { progress: progress.update },
        surfaces: true,
      }).finally(() => progress.done());
      for (const w of warnings) process.stderr.write(`${formatDiagnostic(w)}\n`);
      const lines: string[] = [];
      for (const t of plan.targets) {
        const where = `${t.environment}/${t.target}`;
        if (t.stalled) lines.push(`${where}: STALLED: ${t.stalled.reason}`);
        const kept = t.changes.filter((c) => c.reason === 'orphan-kept').map((c) => c.server);
        if (t.retired && kept.length > 0)
          lines.push(`${where}: removed from the repo; kept (sync.prune is false): ${kept.join(', ')}`);
        for (const c of t.changes.filter((x) => x.action !== 'noop')) {
          lines.push(`${where}: ${describe(c)}`);
          for (const reason of reasons(c)) lines.push(`    ${safeLine(reason)}`);
        }
        for (const c of t.changes) {
          if (!c.tools) continue;
          lines.push(...renderToolsDriftText(`${where}: ${c.server}`, c.tools));
        }
      }
      const s = plan.summary;
      const outOfSync = s.create + s.update + s.delete;
      lines.push(
        lines.length === 0
          ? 'No drift. Every target matches the repo.'
          : `Drift: ${s.drifted} drifted, ${outOfSync} out of sync, ${s.stalled} stalled${s.toolsChanged ? `, ${s.toolsChanged} with changed tools` : ''}.`,
      );
      // Plaintext secrets in entries mcp-gitops does not manage: warnings, not drift (no exit 2).
      for (const w of plan.warnings ?? [])
        if (w.code === 'plaintext-secret') lines.push(safeLine(formatPlanWarning(w)));
      process.stdout.write(redactor.redact(`${lines.join('\n')}\n`));
      if (s.stalled > 0) process.exitCode = EXIT_ERROR;
      else if (flags.detailedExitcode && planHasChanges(s)) process.exitCode = EXIT_CHANGES;
    });
}

function describe(c: Change): string {
  // A client whose file cannot be read shows as that, not as every field it seems to lack.
  const unreadable = c.diffs.flatMap((d) => /^(.+)\.unreadable$/.exec(d.path)?.[1] ?? []);
  const fields = c.diffs
    .filter((d) => !unreadable.some((u) => d.path.startsWith(`${u}.`)))
    .map((d) => d.path)
    .concat(unreadable.map((u) => `${u} (file unreadable)`))
    .join(', ');
  switch (c.reason) {
    case 'drift':
      return `${c.server} drifted: ${fields}${c.skipApply ? ' (not corrected: sync.drift)' : ''}`;
    case 'missing':
      return `${c.server} is missing (not on the target)`;
    case 'prune':
      return `${c.server} is not in the repo (will be deleted: sync.prune)`;
    default:
      return `${c.server}: repo changed: ${fields}`;
  }
}

/**
 * Why a change's target side is as it is, as the observation found it: a client file that cannot
 * be read (its `<client>.unreadable` field holds the reason) and a server that is down (exit,
 * restarts, last log lines). The text was redacted by the provider and is redacted again on output.
 */
export function reasons(c: Change): string[] {
  const out: string[] = [];
  for (const d of c.diffs) {
    const client = /^(.+)\.unreadable$/.exec(d.path)?.[1];
    if (client && typeof d.before === 'string') out.push(`${client}: ${d.before}`);
  }
  if (c.observed?.down) out.push(`not serving: ${c.observed.down}`);
  return out;
}
