/**
 * A fleet target's `rollout:` with its defaults filled, as the hub's rollout (src/fleet/rollout/)
 * uses it: waves and minHealthy as fractions (`5%` → 0.05, a bare number is a percentage too).
 * Validation (src/validate/check-fleet-targets.ts) has already refused anything malformed; this
 * only converts. Pure.
 */
import type { RolloutSpec } from '../rollout/types.js';

export const ROLLOUT_DEFAULTS: Readonly<RolloutSpec> = Object.freeze({
  waves: [1],
  pauseOnFailure: true,
  minHealthy: 1,
});

/**
 * `"5%"` or `5` → 0.05; undefined for anything that is not a percentage in (0, 100] (or [0, 100]
 * with `allowZero`, for minHealthy: 0% means no health gate).
 */
export function percentFraction(value: unknown, allowZero = false): number | undefined {
  let percent: number;
  if (typeof value === 'number') percent = value;
  else if (typeof value === 'string' && /^\d+(\.\d+)?%$/.test(value)) percent = Number(value.slice(0, -1));
  else return undefined;
  if (!Number.isFinite(percent) || percent < 0 || (percent === 0 && !allowZero) || percent > 100)
    return undefined;
  // Rounded so that 7% is 0.07 exactly as written, not 0.07000000000000001.
  return Math.round(percent * 1e6) / 1e8;
}

export function rolloutSpec(settings: { rollout?: unknown }): RolloutSpec {
  const rollout = settings.rollout;
  if (rollout === null || typeof rollout !== 'object' || Array.isArray(rollout)) {
    return { ...ROLLOUT_DEFAULTS, waves: [...ROLLOUT_DEFAULTS.waves] };
  }
  const { waves, pauseOnFailure, minHealthy } = rollout as Record<string, unknown>;
  const fractions = Array.isArray(waves)
    ? waves.map((w) => percentFraction(w)).filter((f): f is number => f !== undefined)
    : [];
  return {
    waves: fractions.length > 0 ? fractions : [...ROLLOUT_DEFAULTS.waves],
    pauseOnFailure: typeof pauseOnFailure === 'boolean' ? pauseOnFailure : ROLLOUT_DEFAULTS.pauseOnFailure,
    minHealthy: percentFraction(minHealthy, true) ?? ROLLOUT_DEFAULTS.minHealthy,
  };
}
