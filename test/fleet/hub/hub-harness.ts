/**
 * A real hub for tests: `createServeApp` with the fleet extension on 127.0.0.1:0, a
 * StaticBundleSource, logs captured as JSON lines, and an agent-side helper that enrols with a
 * fresh Ed25519 key and signs requests exactly as protocol.ts says (with knobs to forge them).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { canonicalJson } from '../../../src/core/canonical-json.js';
import type { DesiredServer } from '../../../src/core/state.js';
import {
  createFleetHub,
  type FleetHub,
  type FleetHubOptions,
  fleetDirOf,
} from '../../../src/fleet/hub/create-fleet-hub.js';
import { loadOrCreateHubKey } from '../../../src/fleet/hub/hub-store.js';
import { type BundleBody, StaticBundleSource } from '../../../src/fleet/hub/static-bundle-source.js';
import { createToken, DEFAULT_TOKEN_TTL_MS } from '../../../src/fleet/hub/tokens.js';
import {
  type BundleTarget,
  type EnrollResponse,
  FLEET_HEADERS,
  FLEET_PATHS,
} from '../../../src/fleet/protocol.js';
import {
  generateKeyPair,
  type KeyPair,
  newNonce,
  requestSigningString,
  sha256Hex,
  sign,
} from '../../../src/fleet/signing.js';
import { createLogger } from '../../../src/log/logger.js';
import { specHash } from '../../../src/resolve/normalize-server.js';
import { createServeApp, type ServeApp } from '../../../src/serve/create-serve-app.js';

/** The name of a secret reference in the bundle; its value lives only on laptops. */
export const CANARY_REF = 'env:FLEET_CANARY_TOKEN';
export const CANARY_VALUE = 'canary-value-7f3a9c1e5d';

export function memoryServer(name: string): DesiredServer {
  const spec = {
    transport: 'stdio' as const,
    command: { path: 'node', args: ['server-memory.js'] },
    secrets: [{ name: 'API_TOKEN', ref: CANARY_REF }],
  };
  return { name, spec, specHash: specHash(spec) };
}

export function bundleTarget(name: string, servers: DesiredServer[]): BundleTarget {
  const settings = { name, provider: 'client-config', host: 'local', clients: ['cursor'] };
  return { name, settings, servers, digest: sha256Hex(canonicalJson({ settings, servers })) };
}

export function bundleBody(
  environment = 'dev',
  targets = [bundleTarget('laptops', [memoryServer('memory')])],
): BundleBody {
  return {
    schema: 'mcp-gitops/fleet-bundle/v1',
    environment,
    revision: 'a'.repeat(40),
    sync: { drift: 'correct', prune: true, suspend: false },
    targets,
  };
}

export interface Hub {
  url: string;
  stateDir: string;
  fleetDir: string;
  hub: FleetHub;
  source: StaticBundleSource;
  hubPublicKey: string;
  logs: string[];
  reports: string[];
  token(grant?: { environment?: string; labels?: Record<string, string>; expiresAt?: number }): string;
  close(): Promise<void>;
}

export async function startHub(
  options: Partial<FleetHubOptions> & { env?: Record<string, string> } = {},
): Promise<Hub> {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-hub-'));
  const logs: string[] = [];
  const logger = createLogger({
    level: 'debug',
    destination: { write: (line: string) => void logs.push(line) },
  });
  const hubKey = loadOrCreateHubKey(fleetDirOf(stateDir));
  const source = new StaticBundleSource(bundleBody(), hubKey.privateKeyPem);
  const reports: string[] = [];
  const hub = createFleetHub({
    stateDir,
    logger,
    bundleSource: source,
    onReport: (m) => reports.push(m.machineId),
    ...options,
  });
  const app: ServeApp = createServeApp({ logger, routes: hub.extension.routes });
  const bound = await app.listen('127.0.0.1', 0);
  return {
    url: bound.url,
    stateDir,
    fleetDir: fleetDirOf(stateDir),
    hub,
    source,
    hubPublicKey: hubKey.publicKey,
    logs,
    reports,
    token: (grant = {}) =>
      createToken(fleetDirOf(stateDir), {
        environment: grant.environment ?? 'dev',
        labels: grant.labels ?? { team: 'platform' },
        expiresAt: grant.expiresAt ?? Date.now() + DEFAULT_TOKEN_TTL_MS,
      }),
    async close() {
      hub.stop();
      await app.close();
      app.server.closeAllConnections();
      fs.rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

export const FACTS = {
  hostname: 'laptop-1',
  os: 'darwin',
  arch: 'arm64',
  user: 'dev',
  agentVersion: '0.1.0',
};

export interface Agent {
  machineId: string;
  key: KeyPair;
  enrolled: EnrollResponse;
}

export async function enroll(
  hub: Hub,
  token: string,
  key = generateKeyPair(),
): Promise<{ status: number; agent?: Agent; text: string }> {
  const res = await fetch(`${hub.url}${FLEET_PATHS.enroll}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token, publicKey: key.publicKey, facts: FACTS }),
  });
  const text = await res.text();
  if (res.status !== 200) return { status: res.status, text };
  const enrolled = JSON.parse(text) as EnrollResponse;
  return { status: 200, text, agent: { machineId: enrolled.machineId, key, enrolled } };
}

export interface SignOptions {
  /** Sign with this key instead of the agent's. */
  privateKeyPem?: string;
  machineId?: string;
  timestamp?: string;
  nonce?: string;
  headers?: Record<string, string>;
  /** Replace the signature. */
  signature?: string;
}

/** The signed headers of a request, as an agent makes them (SignOptions forge parts of it). */
export function signedHeaders(
  agent: Agent,
  method: string,
  p: string,
  body: string,
  o: SignOptions = {},
): Record<string, string> {
  const machineId = o.machineId ?? agent.machineId;
  const timestamp = o.timestamp ?? String(Date.now());
  const nonce = o.nonce ?? newNonce();
  const signature =
    o.signature ??
    sign(
      requestSigningString({ method, path: p, machineId, timestamp, nonce, body }),
      o.privateKeyPem ?? agent.key.privateKeyPem,
    );
  return {
    [FLEET_HEADERS.machine]: machineId,
    [FLEET_HEADERS.timestamp]: timestamp,
    [FLEET_HEADERS.nonce]: nonce,
    [FLEET_HEADERS.signature]: signature,
    ...o.headers,
  };
}

export async function signedFetch(
  hub: Hub,
  agent: Agent,
  method: 'GET' | 'POST',
  p: string,
  body?: string,
  o: SignOptions = {},
): Promise<Response> {
  const headers = signedHeaders(agent, method, p, body ?? '', o);
  if (body !== undefined) headers['content-type'] = 'application/json';
  return fetch(`${hub.url}${p}`, { method, headers, ...(body !== undefined ? { body } : {}) });
}

/** Every file under the hub's state folder, concatenated (for leak scans). */
export function stateText(hub: Hub): string {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(fs.readFileSync(p, 'utf8'));
    }
  };
  walk(hub.stateDir);
  return out.join('\n');
}
