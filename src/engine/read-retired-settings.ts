/**
 * A retired target's settings as they were: the config at the revision of its last report,
 * validated and resolved with the same code as the current desired state (so `~`, templates and
 * defaults come out the same). Throws with a plain reason when the revision is gone, invalid, or
 * does not have the target; the caller turns that into data.
 */
import type { ConfigSet } from '../core/config-set.js';
import { hasErrors } from '../core/diagnostics.js';
import type { DesiredEnvironment, DesiredTarget } from '../core/state.js';
import type { GitRepo } from '../git/types.js';
import { resolveDesiredState } from '../resolve/resolve-desired-state.js';

/** Old configs loaded in one run, by revision (several retired targets often share one). */
export type OldConfigs = Map<string, Promise<ConfigSet>>;

export interface RetiredSettings {
  environment: DesiredEnvironment;
  target: DesiredTarget;
}

export async function retiredSettings(
  repo: GitRepo,
  configs: OldConfigs,
  revision: string | undefined,
  environment: string,
  target: string,
): Promise<RetiredSettings> {
  if (revision === undefined) throw new Error('its report records no config revision');
  let config = configs.get(revision);
  if (!config) {
    config = loadOld(repo, revision);
    configs.set(revision, config);
  }
  const resolved = resolveDesiredState(await config, { environment, target });
  const env = resolved.environments[0];
  const found = env?.targets.find((t) => t.name === target);
  if (!env || !found) throw new Error(`the config there has no target ${environment}/${target}`);
  return { environment: env, target: { ...found, servers: [] } };
}

async function loadOld(repo: GitRepo, revision: string): Promise<ConfigSet> {
  let oid: string;
  try {
    oid = await repo.resolveRevision(revision);
  } catch {
    throw new Error('that commit is not in this repository (was the history rewritten?)');
  }
  // Loaded here: the validators are large, and most runs have no retired target to read.
  const { runValidation } = await import('../validate/run-validation.js');
  const { config, diagnostics } = await runValidation({ root: repo.dir, source: 'revision', rev: oid });
  if (hasErrors(diagnostics)) {
    const n = diagnostics.filter((d) => d.severity === 'error').length;
    throw new Error(`the config there is not valid any more (${n} error${n === 1 ? '' : 's'})`);
  }
  return config;
}
