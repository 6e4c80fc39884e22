/** `mcp-gitops drift`: observe + diff only; what differs between the targets and the repo. */

import type { Command } from 'commander';
import { formatDiagnostic } from '../../core/diagnostics.js';
import type { Change } from '../../core/plan.js';
import { redactor } from '../../log/redact.js';
import { planHasChanges } from '../../plan/summarize-plan.js';
import { EXIT_CHANGES, EXIT_ERROR } from '../exit-codes.js';
import { globalOptions } from '../global-options.js';
import { createProgress } from '../progress.js';

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
      }).finally(() => progress.done());
      for (const w of warnings) process.stderr.write(`${formatDiagnostic(w)}\n`);
      const lines: string[] = [];
      for (const t of plan.targets) {
        const where = `${t.environment}/${t.target}`;
        if (t.stalled) lines.push(`${where}: STALLED: ${t.stalled.reason}`);
        const kept = t.changes.filter((c) => c.reason === 'orphan-kept').map((c) => c.server);
        if (t.retired && kept.length > 0)
          lines.push(`${where}: removed from the repo; kept (sync.prune is false): ${kept.join(', ')}`);
        for (const c of t.changes.filter((x) => x.action !== 'noop')) lines.push(`${where}: ${describe(c)}`);
      }
      const s = plan.summary;
      const outOfSync = s.create + s.update + s.delete;
      lines.push(
        lines.length === 0
          ? 'No drift. Every target matches the repo.'
          : `Drift: ${s.drifted} drifted, ${outOfSync} out of sync, ${s.stalled} stalled.`,
      );
      process.stdout.write(redactor.redact(`${lines.join('\n')}\n`));
      if (s.stalled > 0) process.exitCode = EXIT_ERROR;
      else if (flags.detailedExitcode && planHasChanges(s)) process.exitCode = EXIT_CHANGES;
    });
}

function describe(c: Change): string {
  const fields = c.diffs.map((d) => d.path).join(', ');
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
