/**
 * What the launcher writes to `<server dir>/state.json` (launcher-run-script.ts) and how the
 * provider turns it into words: why a server is not serving (`ObservedServer.down`, the reason
 * verification gives up with). No times, pids or counters in the words: they end up in reports,
 * which should change when the state does, not at every observation (`restarts` is its own field).
 */
import { RESTART_POLICY } from './launcher-run-script.js';

export interface LauncherExit {
  pid: number | null;
  code: number | null;
  signal: string | null;
  /** Epoch ms the launcher saw the exit event. */
  at: number;
  upMs: number;
  /** The child could not be started at all (e.g. the program does not exist). */
  error?: string;
  /** Who held the server's port when it died ("port N is in use by another process (pid, comm)"). */
  reason?: string;
}

export interface LauncherState {
  formatVersion: 1;
  launcherPid: number;
  launcherStartedAt: number;
  status: 'starting' | 'running' | 'restarting' | 'stopped';
  childPid: number | null;
  childStartedAt: number | null;
  /** Restarts the launcher made after the server died (kept across restarts of the same spec). */
  restarts: number;
  /** Epoch ms of the exits within the crash-loop window. */
  exits: number[];
  crashLoop: boolean;
  lastExit: LauncherExit | null;
  nextRestartAt: number | null;
}

export function isLauncherState(value: unknown): value is LauncherState {
  if (!value || typeof value !== 'object') return false;
  const v = value as Partial<LauncherState>;
  return v.formatVersion === 1 && typeof v.launcherPid === 'number' && typeof v.restarts === 'number';
}

export function describeExit(exit: LauncherExit): string {
  const how = exit.error
    ? `could not start: ${exit.error}`
    : exit.code === null
      ? `was killed by ${exit.signal ?? 'a signal'}`
      : `exited with code ${exit.code}`;
  return `the server ${how}${exit.reason ? `; ${exit.reason}` : ''}`;
}

/** The facts a provider reads about one server on the host (see inventory-script.ts). */
export interface ServerLiveness {
  /** The pidfile names a live launcher of ours. */
  launcherRunning: boolean;
  launcherPid?: number;
  /** The launcher's state file, when it belongs to the launcher in the pidfile. */
  state?: LauncherState;
  childRunning: boolean;
  /** The last lines the server wrote (the launcher's own lines left out), redacted on the host. */
  logTail?: string[];
}

/** Serving: launcher and server up, and not in a crash loop. A launcher of an older version (no state) counts as serving while it runs. */
export function isServing(live: ServerLiveness): boolean {
  if (!live.launcherRunning) return false;
  if (!live.state) return true;
  return live.childRunning && !live.state.crashLoop;
}

/** Why a server is not serving, or undefined while it is. Ends with its last log lines. */
export function describeDown(live: ServerLiveness): string | undefined {
  if (isServing(live)) return undefined;
  const state = live.state;
  const parts: string[] = [];
  if (!live.launcherRunning) {
    parts.push(
      live.launcherPid === undefined
        ? 'not running'
        : `not running: its launcher (pid ${live.launcherPid}) is gone`,
    );
    if (live.childRunning && state?.childPid)
      parts.push(`server process ${state.childPid} is left running unsupervised`);
  } else if (state?.crashLoop) {
    parts.push(
      `crash loop: it exited ${RESTART_POLICY.crashLoopExits} times or more within a minute and is restarted with backoff`,
    );
  } else if (state?.status === 'restarting') {
    parts.push('restarting');
  } else if (state?.status === 'starting') {
    parts.push('starting');
  }
  if (state?.lastExit && (!live.childRunning || state.crashLoop))
    parts.push(`last exit: ${describeExit(state.lastExit)}`);
  if (live.logTail && live.logTail.length > 0) parts.push(`last log lines: ${live.logTail.join(' | ')}`);
  return parts.join('; ');
}
