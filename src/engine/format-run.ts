/**
 * A run's outcome for people: one line per change that did something (or failed, or was held
 * back), the plan's preflight warnings, the gates, one summary line, then what went into git. Redacted like every output. In a
 * dry run the changes themselves are the plan's to show (apply --dry-run prints it first).
 */
import { redactor } from '../log/redact.js';
import { describeSuspension, suspendedEnvironments } from '../plan/suspension.js';
import { formatPlanWarning } from '../render/describe-warning.js';
import { countOutcomes } from './run-loop.js';
import type { RunResult } from './types.js';

const WORD = {
  applied: 'applied',
  failed: 'FAILED',
  'rolled-back': 'ROLLED BACK',
  skipped: 'skipped',
  unchanged: 'unchanged',
} as const;

export function formatRun(run: RunResult, verb = 'Reconcile'): string {
  const lines: string[] = run.warnings.map((w) => `warning: ${w}`);
  // What the plan foresaw apply would fail on (a dry run prints them with its plan above). A
  // target that did not answer already has its STALLED line below.
  if (!run.dryRun)
    for (const w of run.plan.warnings ?? [])
      if (w.code !== 'target-unreachable') lines.push(formatPlanWarning(w));
  for (const t of run.targets) {
    const where = `${t.environment}/${t.target}`;
    const tp = run.plan.targets.find((p) => p.environment === t.environment && p.target === t.target);
    if (tp?.stalled) lines.push(`${where}: STALLED: ${tp.stalled.reason}`);
    const kept = t.results.filter((r) => r.outcome === 'unchanged').map((r) => r.server);
    if (tp?.retired && !tp.stalled && kept.length > 0)
      lines.push(`${where}: removed from the repo; kept (sync.prune is false): ${kept.join(', ')}`);
    for (const r of t.results) {
      if (r.outcome === 'unchanged') continue;
      // A dry run's plan is shown above the run (apply --dry-run): "skipped — dry run" adds nothing.
      if (run.dryRun && r.outcome === 'skipped' && r.message === 'dry run') continue;
      const v = t.verified.get(r.server);
      const health =
        v && r.outcome === 'applied'
          ? ` (${v.health}${v.toolCount === undefined ? '' : `, ${v.toolCount} tools`})`
          : '';
      lines.push(
        `${where}: ${r.action} ${r.server}: ${WORD[r.outcome]}${health}${r.message ? ` — ${r.message}` : ''}`,
      );
    }
  }
  const suspensions = suspendedEnvironments(run.plan);
  for (const e of run.environments) {
    if (e.gate) lines.push(`${e.environment}: BLOCKED: ${e.gate}`);
    const suspension = suspensions.find((s) => s.environment === e.environment);
    if (e.suspended && suspension)
      lines.push(`${e.environment}: SUSPENDED, nothing applied: ${describeSuspension(suspension)}`);
    for (const h of e.hooks.filter((x) => !x.ok))
      lines.push(`${e.environment}: ${h.event} hook ${h.hook} failed: ${h.message ?? ''}`);
  }
  const envs = run.plan.environments.map((env) => countOutcomes(run.plan, run.targets, env));
  const sum = (k: 'changed' | 'failed' | 'drifted' | 'stalled') => envs.reduce((n, c) => n + c[k], 0);
  const dry = run.dryRun ? ' (dry run: nothing was applied)' : '';
  if (lines.length > 0) lines.push('');
  lines.push(
    `${verb}: ${sum('changed')} changed, ${sum('failed')} failed, ${sum('drifted')} drifted, ${sum('stalled')} stalled.${dry}`,
  );
  if (run.commit) lines.push(`Committed ${run.commit.slice(0, 12)}: ${run.reportsChanged.join(', ')}`);
  else if (run.reportsChanged.length > 0)
    lines.push(`Reports written, not committed: ${run.reportsChanged.join(', ')}`);
  for (const tag of run.tags) lines.push(`Tagged ${tag}`);
  return redactor.redact(`${lines.join('\n')}\n`);
}
