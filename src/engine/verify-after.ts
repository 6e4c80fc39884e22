/**
 * When a target's verification may start. Each target is verified as soon as its own changes are
 * applied (run-loop.ts), except a target whose provider only registers servers that something else
 * runs (`Provider.registersOnly`: client configs). Its HTTP entry for a server points at the server
 * another target of the same environment starts — the quickstart's laptop entry for `everything`
 * points at the `services` target's process — and verifying it before that target is applied only
 * measures how long the other target's install takes against the server's health timeout. Such a
 * target waits for the environment's other targets that apply any of the same servers; targets that
 * run servers never wait, so no wait can be circular.
 */
import type { Plan } from '../core/plan.js';
import { sessionKey } from './target-session.js';

type TargetPlan = Plan['targets'][number];

const key = (t: Pick<TargetPlan, 'environment' | 'target'>) => sessionKey(t.environment, t.target);

/** Servers a target creates or updates in this run (what its verification will speak to). */
function appliedServers(t: TargetPlan): Set<string> {
  return new Set(
    t.changes
      .filter((c) => (c.action === 'create' || c.action === 'update') && !c.skipApply)
      .map((c) => c.server),
  );
}

/**
 * Session keys (target-session.ts) of the targets `target` must wait for before it is verified: none
 * unless its provider registers only; then the other targets of its environment, whose provider
 * does run servers, that create or update a server it also creates or updates.
 */
export function verifyAfter(
  plan: Pick<Plan, 'targets'>,
  target: TargetPlan,
  registersOnly: (t: TargetPlan) => boolean,
): string[] {
  if (!registersOnly(target)) return [];
  const mine = appliedServers(target);
  if (mine.size === 0) return [];
  return plan.targets
    .filter(
      (t) =>
        t.environment === target.environment &&
        t.target !== target.target &&
        !registersOnly(t) &&
        [...appliedServers(t)].some((s) => mine.has(s)),
    )
    .map(key);
}

/** One gate per target, opened when its changes are applied (or when the whole apply ends). */
export function appliedGates(keys: readonly string[]) {
  const opened = new Map<string, () => void>();
  const gates = new Map<string, Promise<void>>();
  for (const k of keys)
    gates.set(
      k,
      new Promise<void>((resolve) => {
        opened.set(k, resolve);
      }),
    );
  return {
    open(k: string): void {
      opened.get(k)?.();
    },
    openAll(): void {
      for (const open of opened.values()) open();
    },
    after(ks: readonly string[]): Promise<void> {
      return Promise.all(ks.map((k) => gates.get(k))).then(() => undefined);
    },
  };
}
