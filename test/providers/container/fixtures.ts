/** Builders for container-provider tests: a provider context on a podman socket, desired servers. */
import { createHash } from 'node:crypto';
import type { Change } from '../../../src/core/plan.js';
import type { ServerSpec, TargetSpec } from '../../../src/core/resources.js';
import type { DesiredEnvironment, DesiredServer, DesiredTarget } from '../../../src/core/state.js';
import { LocalHost } from '../../../src/hosts/local-host.js';
import type { Host } from '../../../src/hosts/types.js';
import { createLogger, type Logger } from '../../../src/log/logger.js';
import { redactor } from '../../../src/log/redact.js';
import type { ProviderContext } from '../../../src/providers/types.js';
import { createSecretResolver } from '../../../src/secrets/resolve-secret.js';
import { everythingImage } from '../../helpers/podman.js';

export const ENVIRONMENT = 'ctest';
export const TARGET = 'box';

export function desiredServer(name: string, spec: ServerSpec): DesiredServer {
  return { name, spec, specHash: createHash('sha256').update(JSON.stringify(spec)).digest('hex') };
}

/** server-everything from the offline test image, serving streamable HTTP on `port`. */
export function everythingServer(
  name: string,
  port: number,
  extra: Partial<ServerSpec> & { version?: string } = {},
): DesiredServer {
  const { version, ...rest } = extra;
  const image = everythingImage();
  return desiredServer(name, {
    package: { registryType: 'oci', identifier: image.identifier, version: version ?? image.version },
    transport: 'streamable-http',
    port,
    path: '/mcp',
    env: { PORT: String(port) },
    health: { expectTools: ['echo', 'get-env'], timeoutMs: 20_000 },
    ...rest,
  });
}

export function containerContext(options: {
  home: string;
  socket: string;
  settings?: Partial<TargetSpec>;
  servers?: DesiredServer[];
  secretEnv?: Record<string, string>;
  /** Default ENVIRONMENT; test files that run side by side use their own. */
  environment?: string;
  logger?: Logger;
  host?: Host;
}): ProviderContext {
  const environmentName = options.environment ?? ENVIRONMENT;
  const settings: TargetSpec = {
    name: TARGET,
    provider: 'container',
    host: 'local',
    socket: `unix://${options.socket}`,
    ...options.settings,
  };
  const target: DesiredTarget = {
    environment: environmentName,
    name: TARGET,
    provider: 'container',
    host: settings.host ?? 'local',
    settings,
    servers: options.servers ?? [],
  };
  const environment: DesiredEnvironment = {
    name: environmentName,
    vars: {},
    sync: { drift: 'correct', prune: true, maxDeletions: 10, suspend: false },
    targets: [target],
    fleet: [],
    hooks: [],
  };
  return {
    host: options.host ?? new LocalHost({ home: options.home }),
    environment,
    target,
    secrets: createSecretResolver({
      repoRoot: options.home,
      env: options.secretEnv ?? {},
      home: options.home,
    }),
    logger: options.logger ?? createLogger({ level: 'silent' }),
    redact: (value) => redactor.add(value),
  };
}

export function change(action: Change['action'], server: string, desired?: DesiredServer): Change {
  return {
    environment: ENVIRONMENT,
    target: TARGET,
    server,
    action,
    reason: action === 'delete' ? 'prune' : 'spec',
    diffs: [],
    ...(desired ? { desired } : {}),
  };
}
