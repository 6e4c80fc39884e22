/**
 * The `process` provider's target settings and on-host layout:
 *
 *   <baseDir>/lib/launcher.cjs                           the launcher (see launcher-script.ts)
 *   <baseDir>/packages/<identifier>@<version>/           one npm prefix per pinned version
 *   <baseDir>/servers/<environment>/<server>/{env,pid,log,spec.json}
 *
 * `listenHost` (default 127.0.0.1) is where servers listen: servers that bind every interface are
 * forced onto it, so nothing is exposed beyond the machine unless a target says so.
 */
import type { TargetSpec } from '../../core/resources.js';
import type { Host } from '../../hosts/types.js';

export const DEFAULT_BASE_DIR = '~/.mcp-gitops';
export const DEFAULT_LISTEN_HOST = '127.0.0.1';
export const DEFAULT_LOG_MAX_BYTES = 10 * 1024 * 1024;
export const MIN_LOG_MAX_BYTES = 64 * 1024;
/** Rotated logs kept next to the current one (`log.1`, `log.2`). */
export const LOG_KEEP = 2;
export const DEFAULT_KEEP_VERSIONS = 2;
export type SupervisorKind = 'systemd' | 'start-stop-daemon' | 'pidfile';
export type SupervisorSetting = SupervisorKind | 'auto';
export const SUPERVISOR_SETTINGS: readonly SupervisorSetting[] = [
  'auto',
  'systemd',
  'start-stop-daemon',
  'pidfile',
];

export interface ProcessSettings {
  baseDir: string;
  listenHost: string;
  supervisor: SupervisorSetting;
  logMaxBytes: number;
  keepVersions: number;
}

export function processSettings(target: TargetSpec): ProcessSettings {
  return {
    baseDir: typeof target.baseDir === 'string' && target.baseDir ? target.baseDir : DEFAULT_BASE_DIR,
    listenHost:
      typeof target.listenHost === 'string' && target.listenHost ? target.listenHost : DEFAULT_LISTEN_HOST,
    supervisor: (target.supervisor as SupervisorSetting | undefined) ?? 'auto',
    logMaxBytes: typeof target.logMaxBytes === 'number' ? target.logMaxBytes : DEFAULT_LOG_MAX_BYTES,
    keepVersions: typeof target.keepVersions === 'number' ? target.keepVersions : DEFAULT_KEEP_VERSIONS,
  };
}

export function validateProcessTarget(target: TargetSpec): string[] {
  const errors: string[] = [];
  const host = target.host ?? 'local';
  if (host !== 'local' && !host.startsWith('ssh://')) {
    errors.push(`host "${host}" must be local or ssh://user@host[:port]`);
  }
  if (target.baseDir !== undefined && (typeof target.baseDir !== 'string' || target.baseDir === '')) {
    errors.push('baseDir must be a non-empty path (default ~/.mcp-gitops)');
  } else if (typeof target.baseDir === 'string' && !/^(~($|\/)|\/)/.test(target.baseDir)) {
    errors.push(`baseDir "${target.baseDir}" must be absolute or start with ~/`);
  }
  if (
    target.listenHost !== undefined &&
    (typeof target.listenHost !== 'string' || !/^[A-Za-z0-9.:-]+$/.test(target.listenHost))
  ) {
    errors.push('listenHost must be an IP address or host name (default 127.0.0.1)');
  }
  if (
    target.supervisor !== undefined &&
    !SUPERVISOR_SETTINGS.includes(target.supervisor as SupervisorSetting)
  ) {
    errors.push(`supervisor must be one of ${SUPERVISOR_SETTINGS.join(', ')}`);
  }
  const { logMaxBytes, keepVersions } = target;
  if (
    logMaxBytes !== undefined &&
    (typeof logMaxBytes !== 'number' || !Number.isInteger(logMaxBytes) || logMaxBytes < MIN_LOG_MAX_BYTES)
  ) {
    errors.push(
      `logMaxBytes must be a whole number of bytes, at least ${MIN_LOG_MAX_BYTES} (default 10 MiB)`,
    );
  }
  if (
    keepVersions !== undefined &&
    (typeof keepVersions !== 'number' || !Number.isInteger(keepVersions) || keepVersions < 0)
  ) {
    errors.push('keepVersions must be a whole number, 0 or more (default 2)');
  }
  return errors;
}

export interface ServerPaths {
  dir: string;
  env: string;
  pid: string;
  /** The server's output, rotated by the launcher. */
  log: string;
  spec: string;
  /** The launcher's state (restarts, last exit, crash loop). */
  state: string;
  /** What the supervisor captures of the launcher itself (only its own fatal errors). */
  launcherLog: string;
  /** Versions this server ran here, oldest first (for keeping installs rollback needs). */
  history: string;
}

export interface Layout {
  baseDir: string;
  launcher: string;
  serversDir: string;
  packagesDir: string;
  packageDir(identifier: string, version: string): string;
  server(name: string): ServerPaths;
}

export async function resolveLayout(
  host: Host,
  settings: ProcessSettings,
  environment: string,
): Promise<Layout> {
  const baseDir = (await host.expand(settings.baseDir)).replace(/\/+$/, '');
  const serversDir = `${baseDir}/servers/${environment}`;
  return {
    baseDir,
    launcher: `${baseDir}/lib/launcher.cjs`,
    serversDir,
    packagesDir: `${baseDir}/packages`,
    packageDir: (identifier, version) => `${baseDir}/packages/${identifier}@${version}`,
    server(name) {
      const dir = `${serversDir}/${name}`;
      return {
        dir,
        env: `${dir}/env`,
        pid: `${dir}/pid`,
        log: `${dir}/log`,
        spec: `${dir}/spec.json`,
        state: `${dir}/state.json`,
        launcherLog: `${dir}/launcher.log`,
        history: `${dir}/history.json`,
      };
    },
  };
}
