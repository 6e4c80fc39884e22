/**
 * The config `updates` reads, the way `plan` reads it: the committed config revision by default (a
 * pull request's working tree is not what runs), or the working tree with `worktree: true`;
 * validated with the same pipeline, so invalid config fails with the same diagnostics and exit
 * code as plan; resolved for every environment (or the ones asked for), with the same targets.
 */
import type { ConfigSet } from '../core/config-set.js';
import { type Diagnostic, formatDiagnostic, hasErrors, sortDiagnostics } from '../core/diagnostics.js';
import { McpGitopsError } from '../core/errors.js';
import type { DesiredState } from '../core/state.js';
import { configRevision } from '../git/config-revision.js';
import { openRepo } from '../git/open-repo.js';
import { resolveDesiredState } from '../resolve/resolve-desired-state.js';
import { runValidation } from '../validate/run-validation.js';

export interface UpdatesConfigOptions {
  dir: string;
  revision?: string;
  worktree?: boolean;
  environments?: string[];
}

export interface UpdatesConfig {
  config: ConfigSet;
  desired: DesiredState;
  /** Validation warnings, and (reading a commit by default) config files edited since it, as plan says. */
  warnings: Diagnostic[];
  /** The commit read, or `worktree`. */
  revision: string;
}

export async function loadUpdatesConfig(options: UpdatesConfigOptions): Promise<UpdatesConfig> {
  const repo = await openRepo(options.dir);
  let revision: string | undefined;
  if (!options.worktree) {
    revision =
      options.revision === undefined
        ? await configRevision(repo)
        : await repo.resolveRevision(options.revision);
    if (!revision) {
      throw new McpGitopsError(
        'ERR_NOT_A_REPO',
        `${repo.dir} has no commits: the config is read from a commit`,
        {
          hint: 'commit the config first, or pass --worktree to read the working tree',
        },
      );
    }
  }
  const { config, diagnostics } = await runValidation(
    revision === undefined
      ? { root: repo.dir, source: 'worktree' }
      : { root: repo.dir, source: 'revision', rev: revision },
  );
  const where = revision === undefined ? 'in the working tree' : `at ${revision.slice(0, 12)}`;
  if (hasErrors(diagnostics)) {
    const errors = sortDiagnostics(diagnostics).filter((d) => d.severity === 'error');
    throw new McpGitopsError(
      'ERR_INVALID_CONFIG',
      `the config ${where} is invalid (${errors.length} errors)`,
      {
        details: errors.map(formatDiagnostic),
        hint: 'fix the errors above and run again; `mcp-gitops validate` checks the working tree',
      },
    );
  }
  const known = config.environments.map((d) => d.name);
  const unknown = (options.environments ?? []).filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new McpGitopsError('ERR_USAGE', `unknown environment "${unknown[0]}"`, {
      hint: `environments in this repo: ${[...known].sort().join(', ') || '(none)'}`,
    });
  }
  const { getProvider, hasProvider } = await import('../providers/registry.js');
  const desired = resolveDesiredState(config, {
    supports: (server, target) =>
      !hasProvider(target.provider) || getProvider(target.provider).supports(server, target),
  });
  const wanted = options.environments?.length ? new Set(options.environments) : undefined;
  if (wanted) desired.environments = desired.environments.filter((e) => wanted.has(e.name));
  const warnings = diagnostics.filter((d) => d.severity === 'warning');
  if (revision !== undefined && options.revision === undefined) {
    const { uncommittedConfig } = await import('../engine/uncommitted-config.js');
    warnings.push(...uncommittedConfig(repo.dir, config.files, revision));
  }
  return { config, desired, warnings, revision: revision ?? 'worktree' };
}
