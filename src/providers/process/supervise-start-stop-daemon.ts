/**
 * Supervision with Debian's start-stop-daemon: `--background --make-pidfile` to start the
 * launcher (which restarts the server when it dies: start-stop-daemon restarts nothing; its
 * `--output` only catches the launcher's own fatal errors, the server's output goes to the log the
 * launcher rotates), `--stop --retry` with a SIGINT-first schedule to stop. The pidfile is only
 * handed to `--stop` when the inventory found our launcher alive under it (a stale pid may be
 * reused). A server left behind by a dead launcher is stopped before its pidfile is removed, so
 * no server of ours answers without a pidfile naming its launcher.
 */
import { McpGitopsError } from '../../core/errors.js';
import type { Host } from '../../hosts/types.js';
import {
  type LaunchSpec,
  STOP_SCHEDULE,
  type Supervisor,
  startStopDaemonPath,
  withCleanEnv,
} from './supervisor.js';

async function ssd(host: Host): Promise<string> {
  const path = await startStopDaemonPath(host);
  if (!path)
    throw new McpGitopsError('ERR_PROVIDER', `start-stop-daemon is not installed on host ${host.id}`);
  return path;
}

export const startStopDaemonSupervisor: Supervisor = {
  kind: 'start-stop-daemon',
  async start(host: Host, launch: LaunchSpec) {
    const { paths } = launch;
    const args = [
      '--start',
      '--background',
      '--make-pidfile',
      '--pidfile',
      paths.pid,
      '--output',
      paths.launcherLog,
      '--chdir',
      paths.dir,
      '--exec',
      launch.node,
      '--',
      launch.launcher,
      'run',
      ...launch.runArgs,
    ];
    const result = await host.exec('env', withCleanEnv(launch.env, await ssd(host), args), {
      timeoutMs: 30_000,
    });
    if (result.exitCode !== 0) {
      throw new McpGitopsError(
        'ERR_PROVIDER',
        `start-stop-daemon could not start ${launch.unit} (exit ${result.exitCode})`,
        {
          hint: result.stderr.trim().split('\n').pop() ?? `see ${paths.log}`,
        },
      );
    }
  },
  async stop(host: Host, launch: LaunchSpec, running: boolean) {
    if (!running) {
      // The server a dead launcher left behind goes first: the pidfile must not disappear while
      // that server still answers (it lives until its orphan guard notices, up to ~250 ms).
      await reap(host, launch);
      await host.remove(launch.paths.pid);
      return;
    }
    const args = ['--stop', '--pidfile', launch.paths.pid, '--retry', STOP_SCHEDULE, '--oknodo'];
    const result = await host.exec(await ssd(host), args, { timeoutMs: 30_000 });
    if (result.exitCode !== 0) {
      throw new McpGitopsError(
        'ERR_PROVIDER',
        `start-stop-daemon could not stop ${launch.unit} (exit ${result.exitCode})`,
        {
          hint:
            result.exitCode === 2 ? `it ignored ${STOP_SCHEDULE}` : result.stderr.trim().split('\n').pop(),
        },
      );
    }
    await reap(host, launch);
    await host.remove(launch.paths.pid);
  },
};

/** A launcher killed by the last step of the stop schedule may leave its server running: stop that too. */
async function reap(host: Host, launch: LaunchSpec): Promise<void> {
  if (!(await host.exists(launch.launcher))) return;
  await host.exec(launch.node, [launch.launcher, 'reap', '--state', launch.paths.state], {
    timeoutMs: 30_000,
  });
}
