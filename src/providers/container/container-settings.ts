/**
 * The `container` provider's target settings:
 *
 * - `socket`: the Docker Engine API's unix socket, `unix:///run/podman/podman.sock` or an absolute
 *   path, on the target's host. Default on `host: local`: `DOCKER_HOST` of the reconciler's
 *   environment when it is a `unix://` URL, else `/var/run/docker.sock`; on an `ssh://` host
 *   always `/var/run/docker.sock` (this machine's DOCKER_HOST says nothing about that host), which
 *   the provider reaches through a unix socket forwarded over the host's ssh control master.
 *   Docker's and Podman's (`podman system service`) sockets both work.
 * - `bindAddress`: the host address published ports bind to (default 127.0.0.1: MCP servers have
 *   no authentication of their own, so nothing is exposed beyond the machine unless a target says so).
 * - `network`: an existing network the containers join (default: the engine's default bridge).
 *
 * A server's port is published on the same host port (`server.port` → `bindAddress:server.port`),
 * so the address clients are given is the one the server's spec names.
 */
import type { TargetSpec } from '../../core/resources.js';

export const DEFAULT_SOCKET = '/var/run/docker.sock';
export const DEFAULT_BIND_ADDRESS = '127.0.0.1';
const KNOWN_KEYS = ['socket', 'bindAddress', 'network'] as const;
const NETWORK_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
const ADDRESS = /^[A-Za-z0-9.:-]+$/;

export interface ContainerSettings {
  /** Absolute path of the engine's unix socket. */
  socketPath: string;
  bindAddress: string;
  network?: string;
}

/**
 * Settings with defaults; `env` is where DOCKER_HOST is read (the reconciler's environment), for
 * a target on this machine only.
 */
export function containerSettings(
  target: TargetSpec,
  env: NodeJS.ProcessEnv = process.env,
): ContainerSettings {
  const fromTarget = typeof target.socket === 'string' ? target.socket : undefined;
  const local = (target.host ?? 'local') === 'local';
  const fromEnv = local && env.DOCKER_HOST?.startsWith('unix://') ? env.DOCKER_HOST : undefined;
  const socket = fromTarget ?? fromEnv ?? DEFAULT_SOCKET;
  return {
    socketPath: socket.startsWith('unix://') ? socket.slice('unix://'.length) : socket,
    bindAddress:
      typeof target.bindAddress === 'string' && target.bindAddress
        ? target.bindAddress
        : DEFAULT_BIND_ADDRESS,
    ...(typeof target.network === 'string' && target.network ? { network: target.network } : {}),
  };
}

/** Pure: messages for settings the engine could not use. */
export function validateContainerTarget(target: TargetSpec): string[] {
  const errors: string[] = [];
  const host = target.host ?? 'local';
  if (host !== 'local' && !host.startsWith('ssh://')) {
    errors.push(
      `host "${host}" is not supported by the container provider: use local or ssh://user@host:port`,
    );
  }
  if (host.startsWith('ssh://') && target.multiplex === false) {
    errors.push(
      'multiplex: false does not work with the container provider on an ssh host: the engine socket and ' +
        "servers' ports are forwarded through the host's ssh control master",
    );
  }
  const socket = target.socket;
  if (socket !== undefined) {
    if (typeof socket !== 'string' || !/^(unix:\/\/)?\/[^\s:]*[^/\s:]$/.test(socket)) {
      errors.push(
        `socket ${JSON.stringify(socket)} must be a unix socket on the target's host: unix:///path/to/engine.sock ` +
          'or an absolute path (default /var/run/docker.sock; on host: local, DOCKER_HOST when it is unix://)',
      );
    }
  }
  const bind = target.bindAddress;
  if (bind !== undefined && (typeof bind !== 'string' || !ADDRESS.test(bind))) {
    errors.push('bindAddress must be an IP address (default 127.0.0.1)');
  }
  const network = target.network;
  if (network !== undefined && (typeof network !== 'string' || !NETWORK_NAME.test(network))) {
    errors.push(
      `network ${JSON.stringify(network)} must be a network name (letters, digits, '_', '.', '-'), e.g. podman or bridge`,
    );
  }
  for (const key of ['baseDir', 'listenHost', 'supervisor', 'clients', 'projectDir', 'materializeSecrets']) {
    if (target[key] !== undefined) {
      errors.push(
        `${key} is not a container setting (the container provider reads ${KNOWN_KEYS.join(', ')})`,
      );
    }
  }
  return errors;
}
