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
}

export function processSettings(target: TargetSpec): ProcessSettings {
  return {
    baseDir: typeof target.baseDir === 'string' && target.baseDir ? target.baseDir : DEFAULT_BASE_DIR,
    listenHost:
      typeof target.listenHost === 'string' && target.listenHost ? target.listenHost : DEFAULT_LISTEN_HOST,
    supervisor: (target.supervisor as SupervisorSetting | undefined) ?? 'auto',
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
  return errors;
}

export interface ServerPaths {
  dir: string;
  env: string;
  pid: string;
  log: string;
  spec: string;
}

export interface Layout {
  baseDir: string;
  launcher: string;
  serversDir: string;
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
    packageDir: (identifier, version) => `${baseDir}/packages/${identifier}@${version}`,
    server(name) {
      const dir = `${serversDir}/${name}`;
      return { dir, env: `${dir}/env`, pid: `${dir}/pid`, log: `${dir}/log`, spec: `${dir}/spec.json` };
    },
  };
}
