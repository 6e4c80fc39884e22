/** Builders for process-provider tests: a provider context on the local host and desired servers. */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import type { Change } from '../../../src/core/plan.js';
import type { ServerSpec, TargetSpec } from '../../../src/core/resources.js';
import type { DesiredEnvironment, DesiredServer, DesiredTarget } from '../../../src/core/state.js';
import { LocalHost } from '../../../src/hosts/local-host.js';
import { createLogger } from '../../../src/log/logger.js';
import { redactor } from '../../../src/log/redact.js';
import type { LauncherState } from '../../../src/providers/process/launcher-state.js';
import type { ProviderContext } from '../../../src/providers/types.js';
import { createSecretResolver } from '../../../src/secrets/resolve-secret.js';
import { freePort, isProcessAlive, tempDir } from '../../helpers/mcp-servers.js';

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
    fleet: [],
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

export function serverDir(baseDir: string, server: string, environment = 'dev'): string {
  return join(baseDir, 'servers', environment, server);
}

export function pidOf(baseDir: string, server: string, environment = 'dev'): number | undefined {
  try {
    return (
      Number(readFileSync(join(serverDir(baseDir, server, environment), 'pid'), 'utf8').trim()) || undefined
    );
  } catch {
    return undefined;
  }
}

/** The launcher's state file of a server, if there is one. */
export function launcherState(
  baseDir: string,
  server: string,
  environment = 'dev',
): LauncherState | undefined {
  try {
    return JSON.parse(
      readFileSync(join(serverDir(baseDir, server, environment), 'state.json'), 'utf8'),
    ) as LauncherState;
  } catch {
    return undefined;
  }
}

/** The server process the launcher runs now (the pidfile names the launcher). */
export function childPidOf(baseDir: string, server: string, environment = 'dev'): number | undefined {
  return launcherState(baseDir, server, environment)?.childPid ?? undefined;
}

/**
 * Kill what a server directory's pidfile names (the launcher, first, so it restarts nothing) and
 * the server process group its state names (test cleanup, even after failures).
 */
export function killServer(baseDir: string, server: string, environment = 'dev'): void {
  const launcher = pidOf(baseDir, server, environment);
  const child = childPidOf(baseDir, server, environment);
  for (const [pid, target] of [
    [launcher, launcher],
    [child, child === undefined ? undefined : -child],
  ] as const) {
    if (!pid || !target || !isProcessAlive(pid)) continue;
    try {
      process.kill(target, 'SIGKILL');
    } catch {
      // gone
    }
  }
}

/** A loopback HTTP server on $PORT: enough for a process target to start and see listening. */
const HTTP_SCRIPT = `import http from 'node:http';
http.createServer((req, res) => res.end('up')).listen(Number(process.env.PORT), '127.0.0.1');
`;

/**
 * A temp home with that server's script and the base dir of a process target in it, and `spec`:
 * the script as a streamable-http server on a free port. The servers the test pushes to `servers`
 * are stopped after it: registered before tempDir's removal of the directory (after hooks run in
 * order), since their pidfiles name what to stop.
 */
export async function httpServerHome(
  t: TestContext,
  servers: readonly DesiredServer[],
): Promise<{
  home: string;
  baseDir: string;
  script: string;
  spec: (dependsOn?: string[]) => Promise<ServerSpec>;
}> {
  let baseDir = '';
  t.after(() => {
    for (const s of servers) killServer(baseDir, s.name);
  });
  const home = await tempDir(t);
  baseDir = join(home, 'mcp');
  const script = join(home, 'http.mjs');
  writeFileSync(script, HTTP_SCRIPT);
  const spec = async (dependsOn?: string[]): Promise<ServerSpec> => {
    const port = await freePort();
    return {
      command: { path: process.execPath, args: [script] },
      transport: 'streamable-http',
      port,
      env: { PORT: String(port) },
      ...(dependsOn ? { dependsOn } : {}),
    };
  };
  return { home, baseDir, script, spec };
}
