/**
 * When the agent's next pass is due (pure): every interval, jittered by ±10% so a fleet that
 * booted together does not reach the hub together, and at once after the laptop wakes from sleep.
 * Node's timers run on a clock that stops while a laptop sleeps, so a timer alone would wait out
 * the rest of its interval after waking; a short tick that compares the wall clock sees the jump.
 */

export const JITTER = 0.1;
/** How often the wall clock is compared. */
export const TICK_MS = 15_000;
/** A tick this much later than due means the machine slept. */
export const WAKE_SLACK_MS = 30_000;

/** interval × (1 ± 10%), `random` in [0, 1). */
export function jittered(intervalMs: number, random: number): number {
  return Math.round(intervalMs * (1 - JITTER + 2 * JITTER * random));
}

export interface TickState {
  /** Wall clock of the previous tick. */
  lastTick: number;
  /** Wall clock the next pass is due at. */
  nextDue: number;
}

export type TickDecision = 'wait' | 'due' | 'woke';

export function onTick(state: TickState, now: number, tickMs: number = TICK_MS): TickDecision {
  if (now - state.lastTick > tickMs + WAKE_SLACK_MS) return 'woke';
  return now >= state.nextDue ? 'due' : 'wait';
}
