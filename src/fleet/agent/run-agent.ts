/**
 * `agent run`: a pass now, then one every interval (jittered) and one at once after waking from
 * sleep, until SIGTERM or SIGINT, which let a running pass finish and then exit cleanly. A failed
 * pass is logged and the next one comes on schedule: a laptop's agent never gives up.
 */
import { type PassResult, runPass } from './agent-pass.js';
import { jittered, onTick, TICK_MS, type TickState } from './schedule.js';

export interface RunAgentOptions {
  stateDir: string;
  intervalMs: number;
  rotateAfterMs: number;
  /** One line per pass for people (stdout). */
  say: (line: string) => void;
  tickMs?: number;
}

export async function runAgent(options: RunAgentOptions): Promise<void> {
  const tickMs = Math.min(options.tickMs ?? TICK_MS, options.intervalMs);
  let stopping = false;
  let wake: (() => void) | undefined;
  const stop = () => {
    stopping = true;
    wake?.();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  try {
    const state: TickState = { lastTick: Date.now(), nextDue: Date.now() };
    while (!stopping) {
      const decision = onTick(state, Date.now(), tickMs);
      state.lastTick = Date.now();
      if (decision !== 'wait') {
        if (decision === 'woke') options.say('woke from sleep: running a pass now');
        await onePass(options);
        state.nextDue = Date.now() + jittered(options.intervalMs, Math.random());
        state.lastTick = Date.now();
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(0, Math.min(tickMs, state.nextDue - Date.now())));
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
    options.say('stopped');
  } finally {
    process.off('SIGTERM', stop);
    process.off('SIGINT', stop);
  }
}

async function onePass(options: RunAgentOptions): Promise<PassResult | undefined> {
  try {
    const result = await runPass({ stateDir: options.stateDir, rotateAfterMs: options.rotateAfterMs });
    options.say(passLine(result));
    return result;
  } catch (err) {
    options.say(`pass failed: ${(err as Error).message}`);
    return undefined;
  }
}

/** One line about a pass: outcome, bundle, where it came from, the report's fate, and notes. */
export function passLine(result: PassResult): string {
  const from = {
    hub: 'from the hub',
    'not-modified': 'unchanged at the hub',
    cache: 'cached (hub unreachable)',
  }[result.source];
  const notes = result.notes.length > 0 ? `\n  ${result.notes.join('\n  ')}` : '';
  if (!result.bundle || !result.report)
    return `pass: nothing to do (no fleet target matches this machine)${notes}`;
  const targets = result.report.targets.map((t) => `${t.target}=${t.state}`).join(', ') || 'no fleet targets';
  const report = result.delivery?.delivered ? 'report delivered' : 'report queued';
  return `pass: ${result.outcome} (${targets}); bundle ${result.bundle.revision.slice(0, 12)} ${from}; ${report}${notes}`;
}
