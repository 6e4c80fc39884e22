/**
 * load → validate → resolve, at a revision of the config repo (default: the newest commit that is
 * not a report commit, so reconciling never chases its own commits). Invalid config is an error
 * carrying the diagnostics; warnings are returned for the caller to print. The validated config of
 * a commit and its resolved desired state come from src/config-cache when that commit's tree was
 * loaded before; the uncommitted-config warning reads the working tree, so it is computed on every
 * load.
 */
import { validateRevisionTraced } from '../config-cache/validate-revision.js';
import type { ConfigSet } from '../core/config-set.js';
import type { Diagnostic } from '../core/diagnostics.js';
import { formatDiagnostic, hasErrors, sortDiagnostics } from '../core/diagnostics.js';
import { McpGitopsError } from '../core/errors.js';
import type { DesiredServer, DesiredState } from '../core/state.js';
import { configRevision } from '../git/config-revision.js';
import { openRepo } from '../git/open-repo.js';
import type { GitRepo } from '../git/types.js';
import { type SourceLocator, sourceLocator } from '../preflight/source-locator.js';
import { getProvider, hasProvider } from '../providers/registry.js';
import { resolveDesiredState } from '../resolve/resolve-desired-state.js';
import { type FoundLock, findLock, lockVersion } from '../surface/lock/index.js';
import { uncommittedConfig } from './uncommitted-config.js';

export interface LoadDesiredOptions {
  repoDir: string;
  /** Read the desired state at this revision (a tag for rollback); default the config revision of HEAD. */
  rev?: string;
  environment?: string;
  target?: string;
}

export interface LoadedDesired {
  repo: GitRepo;
  desired: DesiredState;
  /** Commit the desired state was read at. */
  revision: string;
  warnings: Diagnostic[];
  /** Where servers, secrets and targets are declared, for warnings that point at the YAML. */
  sources: SourceLocator;
  /** The approved tool surface of a server at its resolved version (the revision's `tool-locks/`). */
  toolLock: (server: DesiredServer) => FoundLock | undefined;
  /** Each environment's `metadata.labels` (`serve --shard-selector` picks environments by them). */
  environmentLabels: ReadonlyMap<string, Readonly<Record<string, string>>>;
}

export async function loadDesired(options: LoadDesiredOptions): Promise<LoadedDesired> {
  const repo = await openRepo(options.repoDir);
  const revision =
    options.rev === undefined ? await configRevision(repo) : await repo.resolveRevision(options.rev);
  if (!revision) {
    throw new McpGitopsError(
      'ERR_NOT_A_REPO',
      `${repo.dir} has no commits: the desired state is read from a commit`,
      {
        hint: 'commit the config first: git add -A && git commit -m "config"',
      },
    );
  }
  const resolve = (config: ConfigSet) =>
    resolveDesiredState(config, {
      environment: options.environment,
      target: options.target,
      supports: (server, target) =>
        !hasProvider(target.provider) || getProvider(target.provider).supports(server, target),
    });
  // A commit's tree never changes: its validated config, and the desired state resolved from it
  // for this selection, come from the cache when it has them (src/config-cache).
  const loaded = await validateRevisionTraced({
    root: repo.dir,
    commit: revision,
    derive: {
      key: { resolve: { environment: options.environment ?? null, target: options.target ?? null } },
      compute: ({ config, diagnostics }) => (hasErrors(diagnostics) ? undefined : resolve(config)),
    },
  });
  const { config, diagnostics } = loaded.result;
  if (hasErrors(diagnostics)) {
    const errors = sortDiagnostics(diagnostics).filter((d) => d.severity === 'error');
    throw new McpGitopsError(
      'ERR_INVALID_CONFIG',
      `the config at ${revision.slice(0, 12)} is invalid (${errors.length} errors)`,
      {
        details: errors.map(formatDiagnostic),
        hint: 'fix the errors above, commit, and run again; `mcp-gitops validate` checks the working tree',
      },
    );
  }
  const desired = loaded.derived ?? resolve(config);
  desired.revision = revision;
  const warnings = diagnostics.filter((d) => d.severity === 'warning');
  // With an explicit revision (rollback, --rev) the working tree is not what anyone expects.
  if (options.rev === undefined) warnings.push(...uncommittedConfig(repo.dir, config.files, revision));
  const toolLock = (server: DesiredServer) => findLock(config, server.name, lockVersion(server.spec));
  const environmentLabels = new Map(
    config.environments.map((d) => [d.name, d.value.metadata.labels ?? {}] as const),
  );
  return { repo, desired, revision, warnings, sources: sourceLocator(config), toolLock, environmentLabels };
}
