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
import { parseReport } from '../report/serialize-report.js';
import { SYNC_DEFAULTS } from '../resolve/resolve-defaults.js';
import { type OldConfigs, retiredSettings } from './read-retired-settings.js';

export interface FindRetiredInput {
  repo: GitRepo;
  desired: DesiredState;
  /** The run's filters: a retired target belongs to its environment and has its own name. */
  environment?: string;
  target?: string;
  /** `env/target` of targets to leave alone though the desired state lacks them (a rollback's branch-head targets). */
  keep?: ReadonlySet<string>;
}

export async function findRetiredTargets(input: FindRetiredInput): Promise<RetiredTarget[]> {
  const { desired, repo } = input;
  if ((await repo.head()) === undefined) return [];
  const dir = desired.repository.reportsDir.replace(/\/+$/, '');
  const wanted = new Set(desired.environments.flatMap((e) => e.targets.map((t) => `${e.name}/${t.name}`)));
  // Only reports the run covers and the repo no longer lists are read (usually none).
  const candidates = (await repo.listFilesAt('HEAD', dir))
    .map((file) => ({ file, match: /^([^/]+)\/([^/]+)\.json$/.exec(file.slice(dir.length + 1)) }))
    .filter(({ match }) => match !== null)
    .filter(({ match }) => input.environment === undefined || match?.[1] === input.environment)
    .filter(({ match }) => input.target === undefined || match?.[2] === input.target)
    .filter(({ match }) => !wanted.has(`${match?.[1]}/${match?.[2]}`))
    .filter(({ match }) => !input.keep?.has(`${match?.[1]}/${match?.[2]}`))
    .sort((a, b) => compare(a.file, b.file));
  const configs: OldConfigs = new Map();
  const out: RetiredTarget[] = [];
  for (const { file } of candidates) {
    const text = await repo.readFileAt('HEAD', file);
    if (text === undefined) continue;
    const report = parseReport(text, file);
    const current = desired.environments.find((e) => e.name === report.environment);
    out.push(await retire(repo, report, current, configs));
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
        fleet: [],
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
