/**
 * The new versions' tool surfaces for an update pull request: each updated server that can be
 * started in a scratch place (src/surface/verify-new/) is started at its proposed version, from
 * the update branch's desired state, and compared with the lock of the version it replaces. Where
 * the repo keeps locks for that server (a `tool-locks/<server>/` folder), the new version's lock
 * is rendered from that surface, redacted with the run's one redactor, for the branch's commit.
 * No secret is resolved for a scratch server (it is unreviewed code).
 */
import type { ConfigSet } from '../../core/config-set.js';
import type { DesiredServer, DesiredState } from '../../core/state.js';
import { redactor } from '../../log/redact.js';
import { findLock, LOCK_DIR, lockPath, redactSurface, renderLock } from '../../surface/lock/index.js';
import { type VerifyNewCandidate, type VerifyNewResult, verifyNew } from '../../surface/verify-new/index.js';
import type { UpdateChange } from '../types.js';

export interface ChangeVerification {
  results: VerifyNewResult[];
  /** Lock files for the branch: path → text. */
  locks: Map<string, string>;
}

export interface VerifyChangeOptions {
  /** npm registry the scratch `npx` fetches from (the one the update was found in). */
  npmRegistry?: string;
  perServerMs?: number;
  totalMs?: number;
  signal?: AbortSignal;
}

function findServer(
  state: DesiredState,
  targets: readonly string[],
  server: string,
): DesiredServer | undefined {
  for (const env of state.environments)
    for (const target of [...env.targets, ...env.fleet]) {
      if (targets.length > 0 && !targets.includes(`${env.name}/${target.name}`)) continue;
      const found = target.servers.find((s) => s.name === server);
      if (found) return found;
    }
  return undefined;
}

export async function verifyChange(
  change: UpdateChange,
  branch: DesiredState,
  base: Pick<ConfigSet, 'documents' | 'files'>,
  options: VerifyChangeOptions,
): Promise<ChangeVerification> {
  const candidates: VerifyNewCandidate[] = [];
  const seen = new Set<string>();
  for (const u of change.updates) {
    const pin = u.proposed?.pin;
    if (pin === undefined || seen.has(`${u.server}@${pin}`)) continue;
    seen.add(`${u.server}@${pin}`);
    const desired = findServer(branch, u.targets, u.server);
    if (!desired) continue;
    const env =
      options.npmRegistry && desired.spec.package?.registryType === 'npm'
        ? { ...(desired.spec.env ?? {}), npm_config_registry: options.npmRegistry }
        : desired.spec.env;
    candidates.push({
      server: u.server,
      version: pin,
      previousVersion: u.current,
      desired: { ...desired, spec: { ...desired.spec, ...(env ? { env } : {}) } },
      targets: u.targets,
    });
  }
  const results = await verifyNew(candidates, {
    lockFor: (server, version) => findLock(base, server, version),
    ...(options.perServerMs === undefined ? {} : { perServerMs: options.perServerMs }),
    ...(options.totalMs === undefined ? {} : { totalMs: options.totalMs }),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const locks = new Map<string, string>();
  for (const r of results) {
    if (r.outcome !== 'verified' || !r.surface) continue;
    const folder = `${LOCK_DIR}/${r.server}/`;
    if (!base.files.some((f) => f.path.startsWith(folder))) continue;
    const { surface } = redactSurface(r.surface, (s) => redactor.redact(s));
    const text = renderLock(r.server, r.version, surface);
    if (redactor.redact(text) !== text) throw new Error('a secret value survived redaction of a lock');
    locks.set(lockPath(r.server, r.version), text);
  }
  return { results, locks };
}
