/**
 * Protocol-only fleet agents for bench/fleet.ts: each enrols with a real one-time token and its own
 * Ed25519 key, pulls its signed bundle (If-None-Match), checks the hub's signature, and reports the
 * bundle's targets in sync — everything the hub sees of a laptop, without the engine, so the hub's
 * own cost is what gets measured. Requests go over keep-alive HTTP, as a laptop's would.
 */
import * as crypto from 'node:crypto';
import * as http from 'node:http';
import type { AgentReport, EnrollResponse, FleetBundle, SignedBundle } from '../src/fleet/protocol.js';
import { FLEET_HEADERS, FLEET_PATHS } from '../src/fleet/protocol.js';
import { generateKeyPair, newNonce, requestSigningString, verifyBundle } from '../src/fleet/signing.js';

const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 32 });

export interface HttpAnswer {
  status: number;
  etag?: string;
  body: string;
}

export function send(
  base: string,
  method: 'GET' | 'POST',
  path: string,
  headers: Record<string, string>,
  body = '',
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${base}${path}`,
      {
        method,
        agent: keepAlive,
        headers: {
          ...headers,
          ...(body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            ...(typeof res.headers.etag === 'string' ? { etag: res.headers.etag } : {}),
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error(`${method} ${path} timed out`)));
    req.on('error', reject);
    req.end(body);
  });
}

export function closeConnections(): void {
  keepAlive.destroy();
}

/** A prepared signed request: headers and body, sent later (so signing is outside the timing). */
export interface PreparedRequest {
  path: string;
  headers: Record<string, string>;
  body: string;
}

export class SimAgent {
  etag: string | undefined;
  bundle: FleetBundle | undefined;

  private constructor(
    readonly hubUrl: string,
    readonly machineId: string,
    /** Parsed once (signing.ts `sign` parses the PEM on every call: client cost, not the hub's). */
    private readonly privateKey: crypto.KeyObject,
    private readonly hubPublicKey: string,
  ) {}

  static async enroll(hubUrl: string, token: string, index: number): Promise<SimAgent> {
    const key = generateKeyPair();
    const body = JSON.stringify({
      token,
      publicKey: key.publicKey,
      facts: { hostname: `sim-${index}`, os: 'linux', arch: 'x64', user: 'dev', agentVersion: 'bench' },
    });
    const res = await send(hubUrl, 'POST', FLEET_PATHS.enroll, {}, body);
    if (res.status !== 200) throw new Error(`enrol answered ${res.status}: ${res.body.slice(0, 200)}`);
    const answer = JSON.parse(res.body) as EnrollResponse;
    return new SimAgent(
      hubUrl,
      answer.machineId,
      crypto.createPrivateKey(key.privateKeyPem),
      answer.hubPublicKey,
    );
  }

  signed(method: 'GET' | 'POST', path: string, body: string): Record<string, string> {
    const timestamp = String(Date.now());
    const nonce = newNonce();
    const signature = crypto
      .sign(
        null,
        Buffer.from(
          requestSigningString({ method, path, machineId: this.machineId, timestamp, nonce, body }),
        ),
        this.privateKey,
      )
      .toString('base64');
    return {
      [FLEET_HEADERS.machine]: this.machineId,
      [FLEET_HEADERS.timestamp]: timestamp,
      [FLEET_HEADERS.nonce]: nonce,
      [FLEET_HEADERS.signature]: signature,
    };
  }

  /** Pull the bundle; true when a new one arrived (verified against the pinned hub key). */
  async pull(): Promise<boolean> {
    const headers = this.signed('GET', FLEET_PATHS.bundle, '');
    if (this.etag) headers['if-none-match'] = this.etag;
    const res = await send(this.hubUrl, 'GET', FLEET_PATHS.bundle, headers);
    if (res.status === 304) return false;
    if (res.status !== 200) throw new Error(`bundle answered ${res.status}`);
    const signed = JSON.parse(res.body) as SignedBundle;
    if (!verifyBundle(signed, this.hubPublicKey)) throw new Error('bundle signature does not verify');
    this.bundle = signed.bundle;
    this.etag = res.etag;
    return true;
  }

  /** A signed report saying every target of the last bundle is in sync, ready to send. */
  prepareReport(): PreparedRequest {
    const bundle = this.bundle;
    if (!bundle) throw new Error('no bundle yet');
    const report: AgentReport = {
      schema: 'mcp-gitops/fleet-report/v1',
      machineId: this.machineId,
      revision: bundle.revision,
      targets: bundle.targets.map((t) => ({
        target: t.name,
        digest: t.digest,
        state: 'in-sync',
        servers: t.servers.map((s) => ({
          name: s.name,
          specHash: s.specHash,
          outcome: 'unchanged',
          health: 'healthy',
          tools: 9,
        })),
        drift: [],
      })),
      facts: { hostname: 'sim', os: 'linux', arch: 'x64', user: 'dev', agentVersion: 'bench' },
    };
    const body = JSON.stringify(report);
    return { path: FLEET_PATHS.report, headers: this.signed('POST', FLEET_PATHS.report, body), body };
  }

  async report(): Promise<void> {
    const r = this.prepareReport();
    const res = await send(this.hubUrl, 'POST', r.path, r.headers, r.body);
    if (res.status !== 204) throw new Error(`report answered ${res.status}: ${res.body.slice(0, 200)}`);
  }

  /** The digest this agent runs for `target`, if any. */
  digestOf(target: string): string | undefined {
    return this.bundle?.targets.find((t) => t.name === target)?.digest;
  }
}
