/**
 * Supervision with systemd where it runs: one unit per server (system units for root, user units
 * otherwise). The launcher restarts the server with backoff and counts it, as under the other
 * supervisors; systemd restarts the launcher if it dies (`Restart=on-failure`, its own backoff
 * from 500 ms to 30 s where systemd has `RestartSteps`, v254+, older ones ignore those keys;
 * never giving up: `StartLimitIntervalSec=0`). SIGINT to stop, to the launcher only
 * (`KillMode=mixed`: it forwards it to the server's process group; SIGKILL reaches all). The
 * launcher writes the pidfile so observing works as for the other supervisors; the server's
 * output goes to the log the launcher rotates, systemd's capture to `launcher.log`.
 */
import { McpGitopsError } from '../../core/errors.js';
import type { Host } from '../../hosts/types.js';
import { type LaunchSpec, type Supervisor, systemdScope } from './supervisor.js';

/** Quote one ExecStart word for systemd: double quotes, backslash escapes, `%` and `$` doubled. */
export function systemdQuote(word: string): string {
  return `"${word.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/%/g, '%%').replace(/\$/g, '$$$$').replace(/\n/g, '\\n')}"`;
}

export function renderUnit(launch: LaunchSpec, scope: 'system' | 'user'): string {
  const exec = [launch.node, launch.launcher, 'run', '--pidfile', launch.paths.pid, ...launch.runArgs];
  const env = Object.entries(launch.env).map(([k, v]) => `Environment=${systemdQuote(`${k}=${v}`)}`);
  return [
    '# written by mcp-gitops; changes are overwritten on the next apply',
    '[Unit]',
    `Description=mcp-gitops ${launch.unit}`,
    'After=network.target',
    'StartLimitIntervalSec=0',
    '',
    '[Service]',
    `ExecStart=${exec.map(systemdQuote).join(' ')}`,
    `WorkingDirectory=${launch.paths.dir}`,
    ...env,
    'Restart=on-failure',
    'RestartSec=500ms',
    'RestartSteps=6',
    'RestartMaxDelaySec=30s',
    'KillSignal=SIGINT',
    'KillMode=mixed',
    'TimeoutStopSec=10',
    `StandardOutput=append:${launch.paths.launcherLog}`,
    `StandardError=append:${launch.paths.launcherLog}`,
    '',
    '[Install]',
    `WantedBy=${scope === 'system' ? 'multi-user.target' : 'default.target'}`,
    '',
  ].join('\n');
}

async function context(host: Host): Promise<{ scope: 'system' | 'user'; dir: string; flags: string[] }> {
  const scope = await systemdScope(host);
  if (!scope) throw new McpGitopsError('ERR_PROVIDER', `systemd is not running on host ${host.id}`);
  const dir = scope === 'system' ? '/etc/systemd/system' : `${await host.home()}/.config/systemd/user`;
  return { scope, dir, flags: scope === 'system' ? [] : ['--user'] };
}

async function systemctl(host: Host, flags: string[], args: string[]): Promise<void> {
  const result = await host.exec('systemctl', [...flags, ...args], { timeoutMs: 60_000 });
  if (result.exitCode !== 0) {
    throw new McpGitopsError('ERR_PROVIDER', `systemctl ${args.join(' ')} failed (exit ${result.exitCode})`, {
      hint: result.stderr.trim().split('\n').pop(),
    });
  }
}

export const systemdSupervisor: Supervisor = {
  kind: 'systemd',
  async start(host: Host, launch: LaunchSpec) {
    const { scope, dir, flags } = await context(host);
    await host.writeFile(`${dir}/${launch.unit}.service`, renderUnit(launch, scope), { mode: 0o644 });
    await systemctl(host, flags, ['daemon-reload']);
    await systemctl(host, flags, ['enable', `${launch.unit}.service`]);
    await systemctl(host, flags, ['restart', `${launch.unit}.service`]);
  },
  async stop(host: Host, launch: LaunchSpec) {
    const { dir, flags } = await context(host);
    const unitFile = `${dir}/${launch.unit}.service`;
    if (!(await host.exists(unitFile))) return;
    await systemctl(host, flags, ['disable', '--now', `${launch.unit}.service`]);
    await host.remove(unitFile);
    await systemctl(host, flags, ['daemon-reload']);
    await host.remove(launch.paths.pid);
  },
};
