/**
 * What changed between two readings of the reports, as the live updates need it: which
 * environments' reports changed at all, whose servers changed health (each change kept in a
 * bounded per-server log the server page shows) and whose drift changed. Pure apart from the log
 * it is handed.
 */
import type { TargetReport } from '../../core/report.js';
import type { Health } from '../../core/state.js';

export interface HealthChange {
  /** ISO time the change was seen by this process. */
  at: string;
  from?: Health;
  to: Health;
  reason?: string;
}

export type UpdateKind = 'reconcile' | 'health' | 'drift';

export interface Update {
  kind: UpdateKind;
  env: string;
}

/** The facts compared between two readings, per environment. */
export interface Fingerprint {
  reports: Map<string, string>;
  health: Map<string, { health: Health; reason?: string }>;
  drift: Map<string, string>;
}

export function fingerprint(reports: readonly TargetReport[]): Fingerprint {
  const out: Fingerprint = { reports: new Map(), health: new Map(), drift: new Map() };
  const byEnv = new Map<string, TargetReport[]>();
  for (const r of reports) byEnv.set(r.environment, [...(byEnv.get(r.environment) ?? []), r]);
  for (const [env, list] of byEnv) {
    out.reports.set(env, JSON.stringify(list.map((r) => [r.target, r.revision, r.runs[0], r.conditions])));
    out.drift.set(env, JSON.stringify(list.map((r) => [r.target, r.drift])));
    for (const r of list)
      for (const e of r.inventory)
        out.health.set(`${env}\u0000${r.target}\u0000${e.server}`, {
          health: e.health,
          ...(e.healthReason ? { reason: e.healthReason } : {}),
        });
  }
  return out;
}

/** The updates from `before` to `after`, and the health changes (keyed env\0target\0server). */
export function compare(
  before: Fingerprint,
  after: Fingerprint,
): { updates: Update[]; health: Map<string, { from?: Health; to: Health; reason?: string }> } {
  const updates: Update[] = [];
  const seen = new Set<string>();
  const add = (kind: UpdateKind, env: string) => {
    const k = `${kind}\u0000${env}`;
    if (seen.has(k)) return;
    seen.add(k);
    updates.push({ kind, env });
  };
  const envs = new Set([...before.reports.keys(), ...after.reports.keys()]);
  for (const env of [...envs].sort()) {
    if (before.reports.get(env) !== after.reports.get(env)) add('reconcile', env);
    if (before.drift.get(env) !== after.drift.get(env)) add('drift', env);
  }
  const health = new Map<string, { from?: Health; to: Health; reason?: string }>();
  for (const [key, now] of after.health) {
    const was = before.health.get(key);
    if (was?.health === now.health) continue;
    health.set(key, {
      ...(was ? { from: was.health } : {}),
      to: now.health,
      ...(now.reason ? { reason: now.reason } : {}),
    });
    add('health', key.split('\u0000')[0] as string);
  }
  return { updates, health };
}

/** A bounded log of health changes per server, newest first. */
export class HealthLog {
  private readonly log = new Map<string, HealthChange[]>();

  constructor(private readonly perServer = 20) {}

  record(key: string, change: HealthChange): void {
    const list = [change, ...(this.log.get(key) ?? [])].slice(0, this.perServer);
    this.log.set(key, list);
  }

  get(environment: string, target: string, server: string): HealthChange[] {
    return this.log.get(`${environment}\u0000${target}\u0000${server}`) ?? [];
  }
}
