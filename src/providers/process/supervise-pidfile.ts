/**
 * The fallback supervisor: the launcher detaches itself, keeps its pid in the pidfile and restarts
 * the server when it dies; stopping stops the launcher (which stops the server) and then any
 * server process a killed launcher left behind.
 */
import { McpGitopsError } from '../../core/errors.js';
import type { Host } from '../../hosts/types.js';
import { type LaunchSpec, STOP_SCHEDULE, type Supervisor, withCleanEnv } from './supervisor.js';

export const pidfileSupervisor: Supervisor = {
  kind: 'pidfile',
  async start(host: Host, launch: LaunchSpec) {
    const { paths } = launch;
    const args = [
      'start',
      '--pidfile',
      paths.pid,
      '--output',
      paths.launcherLog,
      '--cwd',
      paths.dir,
      '--',
      ...launch.runArgs,
    ];
    const result = await host.exec('env', withCleanEnv(launch.env, launch.node, [launch.launcher, ...args]), {
      timeoutMs: 30_000,
    });
    if (result.exitCode !== 0) {
      throw new McpGitopsError('ERR_PROVIDER', `could not start ${launch.unit} (exit ${result.exitCode})`, {
        hint: result.stderr.trim().split('\n').pop() ?? `see ${paths.log}`,
      });
    }
  },
  async stop(host: Host, launch: LaunchSpec) {
    const args = [
      launch.launcher,
      'stop',
      '--pidfile',
      launch.paths.pid,
      '--state',
      launch.paths.state,
      '--schedule',
      STOP_SCHEDULE,
    ];
    const result = await host.exec(launch.node, args, { timeoutMs: 30_000 });
    if (result.exitCode !== 0) {
      throw new McpGitopsError('ERR_PROVIDER', `could not stop ${launch.unit} (exit ${result.exitCode})`, {
        hint: `it ignored ${STOP_SCHEDULE}; pid in ${launch.paths.pid}`,
      });
    }
  },
};
