/**
 * Plan's preflight (Terraform's plan surfaces what apply would fail on): runs the checks
 * `planChecks` lists and returns them as plan warnings. Secrets are checked through the run's
 * resolver (`check`: presence and readability only, no value); programs are looked up on each
 * target's host through the same Host the providers use (over ssh for remote targets). Every
 * probe is bounded in time, at most PREFLIGHT_CONCURRENCY checks run at once, each distinct check
 * runs once, and a failing probe is itself a warning: preflight never throws and never changes a
 * plan's changes.
 */
import type { Plan, PlanWarning } from '../core/plan.js';
import type { Host } from '../hosts/types.js';
import { redactor } from '../log/redact.js';
import type { SecretCheck, SecretResolver } from '../secrets/types.js';
import { planChecks, type RuntimeItem, type SecretItem } from './plan-checks.js';
import {
  runtimeMissingWarning,
  runtimeUncheckedWarning,
  secretWarning,
  unreachableWarning,
} from './preflight-warnings.js';
import type { SourceLocator } from './source-locator.js';

export const PREFLIGHT_TIMEOUT_MS = 10_000;
/** Checks in flight at once; distinct probes that never answer still end within one timeout each. */
export const PREFLIGHT_CONCURRENCY = 64;

export interface PreflightInput {
  plan: Plan;
  /** The target's host, as the run opened it; undefined when it could not be opened. */
  hostOf(environment: string, target: string): Host | undefined;
  secrets: SecretResolver;
  /** Where findings come from in the YAML; without it, warnings carry no FILE:LINE. */
  sources?: SourceLocator;
  /** Bound of each probe; default PREFLIGHT_TIMEOUT_MS. */
  timeoutMs?: number;
}

type Probe<T> = { ok: true; value: T } | { ok: false; reason: string };

export async function runPreflight(input: PreflightInput): Promise<PlanWarning[]> {
  const checks = planChecks(input.plan);
  const timeoutMs = input.timeoutMs ?? PREFLIGHT_TIMEOUT_MS;
  const sources = input.sources;
  const warnings: PlanWarning[] = checks.stalled.map((item) =>
    unreachableWarning(item, item.retired ? undefined : sources?.target(item.environment, item.target)),
  );

  const check = input.secrets.check?.bind(input.secrets);
  const secretProbes = new Map<string, Promise<Probe<SecretCheck | undefined>>>();
  const secretJob = async (item: SecretItem): Promise<PlanWarning | undefined> => {
    if (!check) return undefined;
    let probe = secretProbes.get(item.ref);
    if (!probe) {
      probe = bounded(() => check(item.ref), timeoutMs);
      secretProbes.set(item.ref, probe);
    }
    const result = await probe;
    const failed: SecretCheck | undefined = result.ok ? result.value : { reason: result.reason };
    if (!failed) return undefined;
    return secretWarning(item, failed, sources?.secret(item.environment, item.server, item.name));
  };

  const runtimeProbes = new Map<string, Promise<Probe<string | undefined>>>();
  const runtimeJob = async (item: RuntimeItem): Promise<PlanWarning | undefined> => {
    const host = input.hostOf(item.environment, item.target);
    if (!host) return undefined; // Not opened: the target is Stalled and warned about already.
    const key = `${item.environment}\u0000${item.target}\u0000${item.program}`;
    let probe = runtimeProbes.get(key);
    if (!probe) {
      probe = bounded(() => lookUp(host, item), timeoutMs);
      runtimeProbes.set(key, probe);
    }
    const result = await probe;
    if (result.ok && result.value !== undefined) return undefined;
    // Located only for a warning: positions cost a parse of the file (config/locate-node.ts).
    const source = sources?.field(item.environment, item.server, item.field);
    return result.ok
      ? runtimeMissingWarning(item, source)
      : runtimeUncheckedWarning(item, result.reason, source);
  };

  // Every secret check, then every runtime check, in that order; one job function per kind rather
  // than a closure per check (tens of thousands at 10,000 servers, alive through the whole pool).
  const secretCount = check ? checks.secrets.length : 0;
  const found = await inPool(secretCount + checks.runtimes.length, PREFLIGHT_CONCURRENCY, (i) =>
    i < secretCount
      ? secretJob(checks.secrets[i] as SecretItem)
      : runtimeJob(checks.runtimes[i - secretCount] as RuntimeItem),
  );
  for (const w of found) if (w !== undefined) warnings.push(w);
  return warnings;
}

/**
 * Every job's result in the order of its index (0 to `count` - 1), at most `limit` running at
 * once. A plan of 10,000 servers has tens of thousands of checks: started all at once they held
 * as many promises and timers alive together (~60k), and their located warnings were built in one
 * burst the young generation could not absorb.
 */
async function inPool<T>(count: number, limit: number, job: (index: number) => Promise<T>): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      results[i] = await job(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
  return results;
}

async function lookUp(host: Host, item: RuntimeItem): Promise<string | undefined> {
  const program = item.program.startsWith('~/') ? await host.expand(item.program) : item.program;
  return host.which(program);
}

/** `fn`'s result, or why there is none: its error (redacted) or no answer within `timeoutMs`. */
async function bounded<T>(fn: () => Promise<T>, timeoutMs: number): Promise<Probe<T>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Probe<T>>((resolve) => {
    timer = setTimeout(
      () => resolve({ ok: false, reason: `no answer within ${timeoutMs / 1000} s` }),
      timeoutMs,
    );
  });
  const run = fn().then(
    (value): Probe<T> => ({ ok: true, value }),
    (err: unknown): Probe<T> => ({
      ok: false,
      reason: redactor.redact(err instanceof Error ? err.message : String(err)),
    }),
  );
  try {
    return await Promise.race([run, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
