/**
 * Targets removed from the repo that still have a committed report (DESIGN.md §3, pruning): every
 * report at HEAD that the run covers (`--env` / `--target` select by name) and that the desired
 * state no longer lists. Reads git only; touches no target. Their settings come from the config
 * revision of the last report (`retiredSettings`); when that fails the target is kept as data
 * with the reason, never a crash.
 */
import type { TargetReport } from '../core/report.js';
import type { DesiredEnvironment, DesiredState, RetiredTarget } from '../core/state.js';
import type { GitRepo } from '../git/types.js';
import { redactor } from '../log/redact.js';
import { SYNC_DEFAULTS } from '../resolve/resolve-defaults.js';
import { type OldConfigs, retiredSettings } from './read-retired-settings.js';
import { readReportsAt } from './write-reports.js';

export interface FindRetiredInput {
  repo: GitRepo;
  desired: DesiredState;
  /** The run's filters: a retired target belongs to its environment and has its own name. */
  environment?: string;
  target?: string;
}

export async function findRetiredTargets(input: FindRetiredInput): Promise<RetiredTarget[]> {
  const { desired } = input;
  const dir = desired.repository.reportsDir.replace(/\/+$/, '');
  const reports = [...(await readReportsAt(input.repo, 'HEAD', dir)).values()]
    .filter((r) => input.environment === undefined || r.environment === input.environment)
    .filter((r) => input.target === undefined || r.target === input.target)
    .sort((a, b) => compare(`${a.environment}/${a.target}`, `${b.environment}/${b.target}`));
  const configs: OldConfigs = new Map();
  const out: RetiredTarget[] = [];
  for (const report of reports) {
    const current = desired.environments.find((e) => e.name === report.environment);
    if (current?.targets.some((t) => t.name === report.target)) continue;
    out.push(await retire(input.repo, report, current, configs));
  }
  return out;
}

async function retire(
  repo: GitRepo,
  report: TargetReport,
  current: DesiredEnvironment | undefined,
  configs: OldConfigs,
): Promise<RetiredTarget> {
  const revision = report.retired?.revision ?? report.revision.attempted ?? report.revision.applied;
  const environmentRemoved = current === undefined;
  try {
    const old = await retiredSettings(repo, configs, revision, report.environment, report.target);
    const sync = current?.sync ?? old.environment.sync;
    return {
      environment: { ...old.environment, sync, hooks: current?.hooks ?? [], targets: [old.target] },
      target: old.target,
      ...(revision === undefined ? {} : { revision }),
      environmentRemoved,
    };
  } catch (err) {
    const why = redactor.redact(err instanceof Error ? err.message : String(err));
    const target = {
      environment: report.environment,
      name: report.target,
      provider: report.provider,
      host: report.host,
      settings: { name: report.target, provider: report.provider, host: report.host },
      servers: [],
    };
    return {
      environment: {
        name: report.environment,
        vars: {},
        // Nothing is deleted without the settings; the prune shown is the environment's, if it exists.
        sync: current?.sync ?? { ...SYNC_DEFAULTS },
        targets: [target],
        hooks: [],
      },
      target,
      ...(revision === undefined ? {} : { revision }),
      environmentRemoved,
      unreadable:
        `removed from the repo, and its settings could not be read from ${revision ? `config revision ${revision.slice(0, 12)}` : 'its last report'}: ${why}; ` +
        `nothing is touched on it (delete its report to stop tracking it)`,
    };
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
