/**
 * How a server process is kept running on a host: systemd where it runs, start-stop-daemon where
 * it is installed, else the launcher's own detached pidfile supervisor. Every kind leaves a
 * pidfile in the server directory, so observing works the same way for all of them.
 */
import type { Host } from '../../hosts/types.js';
import type { ServerPaths, SupervisorKind, SupervisorSetting } from './process-settings.js';

/** Everything needed to start or stop one server. */
export interface LaunchSpec {
  /** Absolute path of node on the host. */
  node: string;
  launcher: string;
  /** Arguments of `launcher.cjs run` (env file, listen host, `--`, program and its arguments). */
  runArgs: string[];
  paths: ServerPaths;
  /** systemd unit name without suffix, e.g. `mcp-gitops-dev-memory`. */
  unit: string;
  /** The whole environment the supervised process starts with (no secrets: those are in the env file). */
  env: Record<string, string>;
}

export interface Supervisor {
  readonly kind: SupervisorKind;
  start(host: Host, launch: LaunchSpec): Promise<void>;
  /** `running`: the pidfile names a live process of ours (from the inventory). */
  stop(host: Host, launch: LaunchSpec, running: boolean): Promise<void>;
}

/** Stop schedule: server-everything and many Node servers only clean up on SIGINT. */
export const STOP_SCHEDULE = 'INT/5/TERM/3/KILL/3';

const SSD_PATHS = ['/sbin/start-stop-daemon', '/usr/sbin/start-stop-daemon'];
const detected = new WeakMap<Host, Promise<SupervisorKind>>();

export function detectSupervisor(host: Host, setting: SupervisorSetting = 'auto'): Promise<SupervisorKind> {
  if (setting !== 'auto') return Promise.resolve(setting);
  let pending = detected.get(host);
  if (!pending) {
    pending = detect(host);
    detected.set(host, pending);
  }
  return pending;
}

async function detect(host: Host): Promise<SupervisorKind> {
  if (await systemdScope(host)) return 'systemd';
  if (await startStopDaemonPath(host)) return 'start-stop-daemon';
  return 'pidfile';
}

/**
 * Exists exactly when systemd is the init system (sd_booted(3)); without it neither the system
 * nor a user manager runs, and `systemctl is-system-running` would answer `offline`.
 */
const SYSTEMD_BOOTED = '/run/systemd/system';

/** `system` for root, `user` for a user manager, undefined when systemd does not run. */
export async function systemdScope(host: Host): Promise<'system' | 'user' | undefined> {
  const systemctl = await host.which('systemctl');
  if (!systemctl) return undefined;
  // Locally these are a stat and a syscall, not child processes (observing an empty target
  // starts none); over ssh each would be one more round trip, so the commands answer there.
  if (host.kind === 'local' && !(await host.exists(SYSTEMD_BOOTED))) return undefined;
  const uid =
    host.kind === 'local' && process.getuid
      ? String(process.getuid())
      : (await host.exec('id', ['-u'])).stdout;
  const scope = uid.trim() === '0' ? 'system' : 'user';
  const args = scope === 'system' ? ['is-system-running'] : ['--user', 'is-system-running'];
  const state = (await host.exec(systemctl, args, { timeoutMs: 10_000 })).stdout.trim();
  return state === 'running' || state === 'degraded' ? scope : undefined;
}

const ssdPaths = new WeakMap<Host, Promise<string | undefined>>();

export function startStopDaemonPath(host: Host): Promise<string | undefined> {
  let pending = ssdPaths.get(host);
  if (!pending) {
    pending = (async () => {
      for (const path of SSD_PATHS) if (await host.exists(path)) return path;
      return host.which('start-stop-daemon');
    })();
    ssdPaths.set(host, pending);
  }
  return pending;
}

/** Run a command with exactly `env` (through `env -i`), so nothing of the reconciler's environment leaks in. */
export function withCleanEnv(
  env: Record<string, string>,
  command: string,
  args: readonly string[],
): string[] {
  return ['-i', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), command, ...args];
}
