/**
 * Validation of a loaded config (DESIGN.md §3 "validate"): JSON Schemas, then cross-resource
 * checks, templates (check-templates.ts) and policies (src/policy/evaluate-policies.ts). A document with schema errors is left out of the deeper checks
 * (its name still counts, so nothing reports it as missing).
 */
import type { ConfigSet, LoadedDocument } from '../core/config-set.js';
import type { Diagnostic } from '../core/diagnostics.js';
import { sortDiagnostics } from '../core/diagnostics.js';
import type {
  EnvironmentResource,
  HookResource,
  RepositoryResource,
  ServerResource,
  ServerSpec,
  TargetSpec,
} from '../core/resources.js';
import { builtinPolicyNames } from '../policy/builtin-policies.js';
import { evaluatePolicies } from '../policy/evaluate-policies.js';
import { checkKubernetesPlacements } from '../providers/kubernetes/check-placements.js';
import { getProvider, hasProvider } from '../providers/registry.js';
import { checkDependencies } from './check-dependencies.js';
import { checkEnvironmentRefs } from './check-environment-refs.js';
import { checkFleetTargets } from './check-fleet-targets.js';
import { checkPathRefs } from './check-path-refs.js';
import { checkPorts } from './check-ports.js';
import { checkRepository } from './check-repository.js';
import { checkSchemas } from './check-schemas.js';
import { checkTemplates } from './check-templates.js';
import { checkToolLocks } from './check-tool-locks.js';
import { checkUniqueNames } from './check-unique-names.js';
import { checkUpdates } from './check-updates.js';
import { recoverNames } from './recover-names.js';

export interface ValidateOptions {
  /** Diagnostics of the load step (used to avoid piling "missing" errors onto a broken file). */
  loadDiagnostics?: readonly Diagnostic[];
}

function supports(server: ServerSpec, target: TargetSpec): boolean {
  return hasProvider(target.provider) && getProvider(target.provider).supports(server, target);
}

/** The config with only the documents that passed their schema, for the deeper checks. */
function onlyValid(config: ConfigSet, valid: (doc: LoadedDocument) => boolean): ConfigSet {
  const keep = <T>(docs: LoadedDocument<T>[]) => docs.filter(valid);
  return {
    ...config,
    documents: keep(config.documents),
    repository: config.repository && valid(config.repository) ? config.repository : undefined,
    servers: keep(config.servers),
    environments: keep(config.environments),
    policies: keep(config.policies),
    hooks: keep(config.hooks),
  };
}

export function validateConfig(config: ConfigSet, options: ValidateOptions = {}): Diagnostic[] {
  const schema = checkSchemas(config.documents);
  const valid = (doc: LoadedDocument) => !schema.invalid.has(doc);
  const checked = onlyValid(config, valid);
  const loadDiagnostics = options.loadDiagnostics ?? [];
  const serverNames = new Set(config.servers.map((d) => d.name).filter((n) => n !== ''));
  for (const name of recoverNames(config, loadDiagnostics)) serverNames.add(name);

  const out: Diagnostic[] = [...schema.diagnostics];
  out.push(...checkRepository(config, valid, builtinPolicyNames(), loadDiagnostics));
  out.push(...checkUniqueNames(config.documents));
  for (const env of checked.environments as LoadedDocument<EnvironmentResource>[]) {
    out.push(...checkEnvironmentRefs(env, serverNames));
    out.push(...checkFleetTargets(env));
  }
  out.push(...checkDependencies(checked.servers as LoadedDocument<ServerResource>[], serverNames));
  out.push(
    ...checkPorts(
      checked.servers as LoadedDocument<ServerResource>[],
      checked.environments as LoadedDocument<EnvironmentResource>[],
    ),
  );
  out.push(
    ...checkPathRefs(
      checked.servers as LoadedDocument<ServerResource>[],
      checked.environments as LoadedDocument<EnvironmentResource>[],
      checked.hooks as LoadedDocument<HookResource>[],
      checked.repository,
    ),
  );
  out.push(...checkTemplates(checked, { supports }));
  out.push(...checkKubernetesPlacements(checked));
  out.push(...checkToolLocks(checked, serverNames));
  out.push(
    ...checkUpdates(
      checked.servers as LoadedDocument<ServerResource>[],
      checked.repository as LoadedDocument<RepositoryResource> | undefined,
      serverNames,
    ),
  );
  out.push(...evaluatePolicies(checked));
  return sortDiagnostics(out);
}
