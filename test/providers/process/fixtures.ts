/** Builders for process-provider tests: a provider context on the local host and desired servers. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Change } from '../../../src/core/plan.js';
import type { ServerSpec, TargetSpec } from '../../../src/core/resources.js';
import type { DesiredEnvironment, DesiredServer, DesiredTarget } from '../../../src/core/state.js';
import { LocalHost } from '../../../src/hosts/local-host.js';
import { createLogger } from '../../../src/log/logger.js';
import { redactor } from '../../../src/log/redact.js';
import type { ProviderContext } from '../../../src/providers/types.js';
import { createSecretResolver } from '../../../src/secrets/resolve-secret.js';
import { isProcessAlive } from '../../helpers/mcp-servers.js';

export function desiredServer(name: string, spec: ServerSpec): DesiredServer {
  return { name, spec, specHash: createHash('sha256').update(JSON.stringify(spec)).digest('hex') };
}

export function processContext(options: {
  home: string;
  settings: Partial<TargetSpec>;
  servers?: DesiredServer[];
  secretEnv?: Record<string, string>;
}): ProviderContext {
  const settings: TargetSpec = { name: 'procs', provider: 'process', host: 'local', ...options.settings };
  const target: DesiredTarget = {
    environment: 'dev',
    name: settings.name,
    provider: 'process',
    host: settings.host ?? 'local',
    settings,
    servers: options.servers ?? [],
  };
  const environment: DesiredEnvironment = {
    name: 'dev',
    vars: {},
    sync: { drift: 'correct', prune: true, maxDeletions: 10, suspend: false },
    targets: [target],
    hooks: [],
  };
  return {
    host: new LocalHost({ home: options.home }),
    environment,
    target,
    secrets: createSecretResolver({
      repoRoot: options.home,
      env: options.secretEnv ?? {},
      home: options.home,
    }),
    logger: createLogger({ level: 'silent' }),
    redact: (value) => redactor.add(value),
  };
}

export function change(action: Change['action'], server: string, desired?: DesiredServer): Change {
  return {
    environment: 'dev',
    target: 'procs',
    server,
    action,
    reason: action === 'delete' ? 'prune' : 'spec',
    diffs: [],
    ...(desired ? { desired } : {}),
  };
}

export function serverDir(baseDir: string, server: string): string {
  return join(baseDir, 'servers', 'dev', server);
}

export function pidOf(baseDir: string, server: string): number | undefined {
  try {
    return Number(readFileSync(join(serverDir(baseDir, server), 'pid'), 'utf8').trim()) || undefined;
  } catch {
    return undefined;
  }
}

/** Kill whatever a server directory's pidfile names (test cleanup, even after failures). */
export function killServer(baseDir: string, server: string): void {
  const pid = pidOf(baseDir, server);
  if (pid && isProcessAlive(pid)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
}
