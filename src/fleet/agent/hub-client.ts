/**
 * The agent's side of the wire (protocol.ts): every request after enrolment is signed with the
 * machine's key over requestSigningString, carries a fresh nonce and the current time, and is
 * bounded (a hub that is slow or silent must not hang a laptop's agent: 30 s per request, and a
 * response body cap). Plain http:// is only spoken to a loopback hub, unless the user chose
 * `--insecure-http` at enrolment. What the hub answers is untrusted: error text from it is shown
 * escaped and cut short.
 */
import { McpGitopsError } from '../../core/errors.js';
import { escapeInvisible } from '../../surface/render-safe.js';
import { FLEET_HEADERS } from '../protocol.js';
import { newNonce, requestSigningString, sign } from '../signing.js';

export const HUB_TIMEOUT_MS = 30_000;
/** The largest response the agent reads (a bundle of many targets and servers fits easily). */
export const HUB_RESPONSE_BYTES = 8 * 1024 * 1024;

export interface HubEndpoint {
  hubUrl: string;
  insecureHttp: boolean;
}

export interface MachineKey {
  machineId: string;
  privateKeyPem: string;
}

export interface HubResponse {
  status: number;
  etag?: string;
  body: string;
}

/** Why a request did not get an answer: `network` (the hub is away: use the cache, queue the report) or `http`. */
export class HubRequestError extends McpGitopsError {
  readonly kind: 'network' | 'http';
  readonly status?: number;
  constructor(kind: 'network' | 'http', message: string, status?: number, hint?: string) {
    super('ERR_HOST', message, hint ? { hint } : {});
    this.kind = kind;
    if (status !== undefined) this.status = status;
  }
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/** The hub's base URL, parsed; refuses http:// to anything but loopback unless insecure-http was chosen. */
export function checkHubUrl(hubUrl: string, insecureHttp: boolean): URL {
  let url: URL;
  try {
    url = new URL(hubUrl);
  } catch {
    throw new McpGitopsError('ERR_USAGE', `hub URL ${JSON.stringify(hubUrl)} is not a URL`, {
      hint: 'give the hub as https://HOST[:PORT] (the address `mcp-gitops serve --fleet` listens on)',
    });
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new McpGitopsError('ERR_USAGE', 'the hub URL must not carry credentials, a query or a fragment', {
      hint: 'give the hub as https://HOST[:PORT][/PATH]',
    });
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol !== 'http:')
    throw new McpGitopsError('ERR_USAGE', `hub URL scheme ${url.protocol} is not supported`, {
      hint: 'use https://',
    });
  if (!LOOPBACK.test(url.hostname) && !insecureHttp) {
    throw new McpGitopsError(
      'ERR_USAGE',
      `refusing plain http:// to ${url.host}: bundles and keys would cross the network unencrypted`,
      {
        hint: 'use https://, or pass --insecure-http at enrolment if this network is trusted',
      },
    );
  }
  return url;
}

function endpointUrl(hub: HubEndpoint, path: string): URL {
  const base = checkHubUrl(hub.hubUrl, hub.insecureHttp);
  const prefix = base.pathname.replace(/\/+$/, '');
  return new URL(`${prefix}${path}`, base);
}

/** A request signed with the machine's key (FLEET_HEADERS), as the hub verifies it. */
export function signedHeaders(
  key: MachineKey,
  method: string,
  path: string,
  body: string,
  now = Date.now(),
): Record<string, string> {
  const timestamp = String(now);
  const nonce = newNonce();
  const signature = sign(
    requestSigningString({ method, path, machineId: key.machineId, timestamp, nonce, body }),
    key.privateKeyPem,
  );
  return {
    [FLEET_HEADERS.machine]: key.machineId,
    [FLEET_HEADERS.timestamp]: timestamp,
    [FLEET_HEADERS.nonce]: nonce,
    [FLEET_HEADERS.signature]: signature,
  };
}

export interface HubRequest {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  /** Sign with this machine key (every route but enrolment). */
  key?: MachineKey;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

/** One bounded request to the hub. Network failures and timeouts are `HubRequestError('network')`. */
export async function hubRequest(hub: HubEndpoint, req: HubRequest): Promise<HubResponse> {
  const url = endpointUrl(hub, req.path);
  const body = req.body === undefined ? '' : JSON.stringify(req.body);
  const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
  if (req.body !== undefined) headers['content-type'] = 'application/json';
  if (req.key) Object.assign(headers, signedHeaders(req.key, req.method, url.pathname, body));
  let response: Response;
  try {
    response = await fetch(url, {
      method: req.method,
      headers,
      ...(req.body !== undefined ? { body } : {}),
      redirect: 'error',
      signal: AbortSignal.timeout(req.timeoutMs ?? HUB_TIMEOUT_MS),
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    const why = (err as Error).name === 'TimeoutError' ? 'timed out' : (cause ?? (err as Error).message);
    throw new HubRequestError(
      'network',
      `hub ${url.host} did not answer ${req.method} ${url.pathname}: ${why}`,
    );
  }
  const text = await readCapped(response, url);
  const etag = response.headers.get('etag') ?? undefined;
  return { status: response.status, body: text, ...(etag ? { etag } : {}) };
}

async function readCapped(response: Response, url: URL): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > HUB_RESPONSE_BYTES) {
    await response.body?.cancel();
    throw new HubRequestError(
      'http',
      `hub ${url.host} sent ${declared} bytes (more than ${HUB_RESPONSE_BYTES})`,
    );
  }
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.byteLength;
      if (size > HUB_RESPONSE_BYTES) {
        throw new HubRequestError('http', `hub ${url.host} sent more than ${HUB_RESPONSE_BYTES} bytes`);
      }
      chunks.push(chunk);
    }
  } catch (err) {
    if (err instanceof HubRequestError) throw err;
    throw new HubRequestError('network', `hub ${url.host} broke off its answer: ${(err as Error).message}`);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A non-2xx answer as an error; the hub's own words (untrusted) escaped and cut to 200 characters. */
export function httpError(res: HubResponse, what: string): HubRequestError {
  let said = res.body.split('\n')[0]?.trim() ?? '';
  try {
    const data = JSON.parse(res.body) as { error?: unknown };
    said = typeof data.error === 'string' ? data.error : '';
  } catch {
    // a terse text refusal: its first line
  }
  const shown = said ? `: ${escapeInvisible(said.slice(0, 200))}` : '';
  const hint =
    res.status === 401 || res.status === 403
      ? 'this machine may have been revoked or its key rotated away: enrol again with `mcp-gitops agent enroll URL TOKEN`'
      : undefined;
  return new HubRequestError('http', `${what}: hub answered ${res.status}${shown}`, res.status, hint);
}

/** JSON of a 2xx answer, or an error naming what was expected. */
export function parseJson(res: HubResponse, what: string): unknown {
  try {
    return JSON.parse(res.body) as unknown;
  } catch {
    throw new HubRequestError('http', `${what}: the hub's answer is not JSON`, res.status);
  }
}
