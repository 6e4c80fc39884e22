/**
 * The real fleet hub (`createFleetHub` as serve mounts it, on 127.0.0.1) for agent tests, with what
 * those tests need around it: a bundle of the real server-memory for a client-config target, a
 * stop/start on the same port (the hub going away and coming back), a tampering mode that alters
 * a bundle after the hub signed it (what anything between hub and laptop could do), and the
 * machine records and logs to check reports and leaks against.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ServerSpec } from '../../../src/core/resources.js';
import type { DesiredServer } from '../../../src/core/state.js';
import { bundleDigest } from '../../../src/fleet/bundle/bundle-target.js';
import { createFleetHub, type FleetHub, fleetDirOf } from '../../../src/fleet/hub/create-fleet-hub.js';
import { loadOrCreateHubKey } from '../../../src/fleet/hub/hub-store.js';
import { type BundleBody, StaticBundleSource } from '../../../src/fleet/hub/static-bundle-source.js';
import { createToken, DEFAULT_TOKEN_TTL_MS } from '../../../src/fleet/hub/tokens.js';
import type { BundleTarget, SignedBundle } from '../../../src/fleet/protocol.js';
import type { MachineRecord } from '../../../src/fleet/rollout/types.js';
import { createLogger } from '../../../src/log/logger.js';
import { specHash } from '../../../src/resolve/normalize-server.js';
import { createServeApp, type ServeApp } from '../../../src/serve/create-serve-app.js';
import { serverBin } from '../../helpers/mcp-servers.js';

/** A secret only laptops have (the agent's environment): never in a report, log, or state file. */
export const CANARY_VAR = 'FLEET_AGENT_CANARY';
export const CANARY = 'fleet-agent-canary-5e1d7c3b9a';

export function memoryServer(
  name: string,
  memoryFile: string,
  extra: Partial<ServerSpec> = {},
): DesiredServer {
  const spec: ServerSpec = {
    transport: 'stdio',
    command: { path: process.execPath, args: [serverBin('memory')] },
    env: { MEMORY_FILE_PATH: memoryFile },
    secrets: [{ name: 'API_TOKEN', ref: `env:${CANARY_VAR}` }],
    health: { expectTools: ['read_graph'], timeoutMs: 30_000 },
    ...extra,
  };
  return { name, spec, specHash: specHash(spec) };
}

export function laptopTarget(servers: DesiredServer[], name = 'laptops'): BundleTarget {
  const settings = { name, provider: 'client-config', host: 'local', clients: ['claude-code'] };
  return { name, settings, servers, digest: bundleDigest(settings, servers) };
}

export function body(
  targets: BundleTarget[],
  sync: Partial<BundleBody['sync']> = {},
  revision = 'a'.repeat(40),
): BundleBody {
  return {
    schema: 'mcp-gitops/fleet-bundle/v1',
    environment: 'dev',
    revision,
    sync: { drift: 'correct', prune: true, suspend: false, ...sync },
    targets,
  };
}

export interface TestHub {
  url: string;
  source: StaticBundleSource;
  hub: FleetHub;
  logs: string[];
  /** Reports the hub accepted (machine records after each). */
  reports: MachineRecord[];
  /** Alter every bundle after signing (its signature no longer matches). */
  tamper: boolean;
  token(labels?: Record<string, string>, environment?: string): string;
  machine(id: string): MachineRecord | undefined;
  /** The hub goes away (connections refused) ... */
  stop(): Promise<void>;
  /** ... and comes back on the same address. */
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function startTestHub(initial: BundleBody): Promise<TestHub> {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-hub-'));
  const logs: string[] = [];
  const logger = createLogger({
    level: 'debug',
    destination: { write: (line: string) => void logs.push(line) },
  });
  const hubKey = loadOrCreateHubKey(fleetDirOf(stateDir));
  const source = new StaticBundleSource(initial, hubKey.privateKeyPem);
  const reports: MachineRecord[] = [];
  const state = { tamper: false };
  const hub = createFleetHub({
    stateDir,
    logger,
    bundleSource: {
      bundleFor(machine): SignedBundle | undefined {
        const signed = source.bundleFor(machine);
        if (!signed || !state.tamper) return signed;
        const altered = structuredClone(signed);
        const server = altered.bundle.targets[0]?.servers[0];
        if (server) server.spec.env = { ...server.spec.env, INJECTED: 'by-someone-in-between' };
        return altered;
      },
    },
    onReport: (m) => reports.push(structuredClone(m)),
  });
  let app: ServeApp | undefined;
  let port = 0;
  const start = async () => {
    app = createServeApp({ logger, routes: hub.extension.routes });
    const bound = await app.listen('127.0.0.1', port);
    port = bound.port;
  };
  const stop = async () => {
    const a = app;
    app = undefined;
    if (!a) return;
    const closed = a.close();
    a.server.closeAllConnections();
    await closed;
  };
  await start();
  return {
    url: `http://127.0.0.1:${port}`,
    source,
    hub,
    logs,
    reports,
    get tamper() {
      return state.tamper;
    },
    set tamper(on: boolean) {
      state.tamper = on;
    },
    token: (labels = { team: 'platform' }, environment = 'dev') =>
      createToken(fleetDirOf(stateDir), {
        environment,
        labels,
        expiresAt: Date.now() + DEFAULT_TOKEN_TTL_MS,
      }),
    machine: (id) => hub.store.get(id),
    stop,
    start,
    async close() {
      await stop();
      hub.stop();
      fs.rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
