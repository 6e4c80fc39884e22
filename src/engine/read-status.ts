/**
 * `status`: the reports committed at HEAD, and which environments HEAD's config suspends
 * (`sync.suspend`: true from the commit that set it, before any reconcile has reported it).
 * No target is touched.
 */
import { loadConfig } from '../config/load-config.js';
import type { ConfigSet } from '../core/config-set.js';
import { McpGitopsError } from '../core/errors.js';
import type { TargetReport } from '../core/report.js';
import { openRepo } from '../git/open-repo.js';
import type { SuspendedEnvironment } from '../plan/suspension.js';
import { resolveRepository, resolveSync } from '../resolve/resolve-defaults.js';
import { readReportsAt } from './write-reports.js';

export interface StatusResult {
  revision: string;
  reportsDir: string;
  reports: TargetReport[];
  /** Environments whose `sync.suspend` is true in the config at HEAD. */
  suspended: SuspendedEnvironment[];
}

export async function readStatus(repoDir: string, environment?: string): Promise<StatusResult> {
  const repo = await openRepo(repoDir);
  const head = await repo.head();
  if (!head) {
    throw new McpGitopsError('ERR_NOT_A_REPO', `${repo.dir} has no commits yet`, {
      hint: 'run `mcp-gitops reconcile` first',
    });
  }
  const { config } = await loadConfig({ root: repo.dir, source: 'revision', rev: head });
  const reportsDir = resolveRepository(config.repository?.value).reportsDir.replace(/\/+$/, '');
  const all = [...(await readReportsAt(repo, head, reportsDir)).values()];
  const reports = all.filter((r) => environment === undefined || r.environment === environment);
  if (environment !== undefined && reports.length === 0) {
    const known = [...new Set(all.map((r) => r.environment))];
    throw new McpGitopsError('ERR_USAGE', `no committed reports for environment "${environment}"`, {
      hint:
        known.length > 0
          ? `environments with reports: ${known.join(', ')}`
          : 'run `mcp-gitops reconcile` first',
    });
  }
  return { revision: head, reportsDir, reports, suspended: suspendedAt(config, environment) };
}

function suspendedAt(config: ConfigSet, environment: string | undefined): SuspendedEnvironment[] {
  const out: SuspendedEnvironment[] = [];
  for (const doc of config.environments) {
    const env = doc.value;
    if (environment !== undefined && env.metadata?.name !== environment) continue;
    const sync = typeof env.spec?.sync === 'object' && env.spec.sync !== null ? env.spec.sync : undefined;
    if (sync?.suspend !== true) continue;
    const { suspendReason } = resolveSync(sync);
    out.push({ environment: env.metadata.name, ...(suspendReason ? { reason: suspendReason } : {}) });
  }
  return out.sort((a, b) => (a.environment < b.environment ? -1 : 1));
}
