/**
 * The one HTTP client every version source uses, on Node's fetch (undici), because a registry's
 * reply is untrusted: each request is bounded in time (default 15 s, body included) and in size
 * (default 32 MiB, counted while streaming — npm packuments are large), redirects are followed at
 * most 3 times, never from https to http, and credentials go only to the origin they were given
 * for. Failures become `UpdateSourceError`s that name the registry's origin and nothing it sent.
 */
import type { RegistryAccess } from '../types.js';
import { originOf, UpdateSourceError } from './errors.js';

export interface HttpRequestOptions {
  method?: 'GET' | 'HEAD';
  headers?: Record<string, string>;
  /** Credentials sent as `Authorization` to `access.url`'s origin only (bearer token, else basic). */
  access?: RegistryAccess;
  /** The `Accept` header. */
  accept?: string;
  /** Whole request, body included. Default 15 s. */
  timeoutMs?: number;
  /** Body size cap. Default 32 MiB. */
  maxBytes?: number;
  signal: AbortSignal;
  /** Called once per HTTP request sent, redirects included. */
  countRequest: () => void;
  /** follow (default, at most 3 hops), error (a redirect fails), manual (return the 3xx as is). */
  redirect?: 'follow' | 'error' | 'manual';
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  body: Buffer;
  /** The URL that answered (after redirects). */
  url: string;
}

export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;
const MAX_REDIRECTS = 3;

export async function request(url: string, options: HttpRequestOptions): Promise<HttpResponse> {
  const registry = originOf(url);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = AbortSignal.any([options.signal, timeout]);
  const failed = (error: unknown): UpdateSourceError =>
    toSourceError(error, registry, timeout.aborted, timeoutMs, options.signal.aborted);
  let current = parseHttpUrl(url, registry);
  for (let hops = 0; ; hops++) {
    const headers = buildHeaders(current, options, registry);
    let response: Response;
    try {
      options.countRequest();
      response = await fetch(current, {
        method: options.method ?? 'GET',
        headers,
        redirect: 'manual',
        signal,
      });
    } catch (error) {
      throw failed(error);
    }
    const location = response.headers.get('location');
    const redirect = options.redirect ?? 'follow';
    if (isRedirect(response.status) && location !== null && redirect !== 'manual') {
      await response.body?.cancel().catch(() => {});
      if (redirect === 'error') {
        throw new UpdateSourceError('bad-reply', `${registry} answered with a redirect`);
      }
      if (hops >= MAX_REDIRECTS) {
        throw new UpdateSourceError('bad-reply', `${registry} redirected more than ${MAX_REDIRECTS} times`);
      }
      current = nextLocation(current, location, registry);
      continue;
    }
    try {
      const body = await readBounded(response, maxBytes, registry);
      return { status: response.status, headers: response.headers, body, url: current.href };
    } catch (error) {
      throw error instanceof UpdateSourceError ? error : failed(error);
    }
  }
}

/** GET a JSON document; a status other than 2xx becomes an error with a code. */
export async function fetchJson(url: string, options: HttpRequestOptions): Promise<unknown> {
  const response = await request(url, {
    ...options,
    accept: options.accept ?? 'application/json',
  });
  if (response.status < 200 || response.status > 299) {
    throw statusError(response.status, originOf(url));
  }
  try {
    return JSON.parse(response.body.toString('utf8')) as unknown;
  } catch {
    throw new UpdateSourceError('bad-reply', `${originOf(url)} replied with something that is not JSON`);
  }
}

/** The error for a reply's status, in our words (the status number is all we repeat). */
export function statusError(status: number, registry: string): UpdateSourceError {
  if (status === 404 || status === 410) {
    return new UpdateSourceError('not-found', `${registry} has no such package (HTTP ${status})`);
  }
  if (status === 401 || status === 403) {
    return new UpdateSourceError(
      'unauthorized',
      `${registry} refused the request (HTTP ${status}); check the registry credentials`,
    );
  }
  if (status >= 500) {
    return new UpdateSourceError('unreachable', `${registry} failed to answer (HTTP ${status})`);
  }
  return new UpdateSourceError('bad-reply', `${registry} answered HTTP ${status}`);
}

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

function parseHttpUrl(raw: string, registry: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new UpdateSourceError('bad-config', `registry URL is not a URL (${registry})`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new UpdateSourceError('bad-config', `registry URL must be http or https (${registry})`);
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new UpdateSourceError(
      'bad-config',
      `registry URL ${registry} carries credentials; give them by reference instead`,
    );
  }
  return parsed;
}

/** Where a redirect leads, or why it is not followed (not a URL, not http(s), https to http, credentials). */
export function nextLocation(from: URL, location: string, registry: string): URL {
  let next: URL;
  try {
    next = new URL(location, from);
  } catch {
    throw new UpdateSourceError('bad-reply', `${registry} redirected to something that is not a URL`);
  }
  if (next.protocol !== 'https:' && next.protocol !== 'http:') {
    throw new UpdateSourceError('bad-reply', `${registry} redirected to a URL that is not http(s)`);
  }
  if (from.protocol === 'https:' && next.protocol === 'http:') {
    throw new UpdateSourceError('bad-reply', `${registry} redirected from https to plain http`);
  }
  if (next.username !== '' || next.password !== '') {
    throw new UpdateSourceError('bad-reply', `${registry} redirected to a URL with credentials`);
  }
  return next;
}

/**
 * Headers for one hop. A caller's own `Authorization` (an OCI bearer token, say) is for the origin
 * first asked and is dropped on any other; `access` credentials go to `access.url`'s origin only.
 */
function buildHeaders(url: URL, options: HttpRequestOptions, firstOrigin: string): Record<string, string> {
  const headers: Record<string, string> = {
    'user-agent': 'mcp-gitops (update automation)',
  };
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    headers[name.toLowerCase()] = value;
  }
  if (options.accept !== undefined) headers.accept = options.accept;
  if (url.origin !== firstOrigin) {
    delete headers.authorization;
    delete headers.cookie;
  }
  const authorization = authorizationFor(url, options.access);
  if (authorization !== undefined) headers.authorization = authorization;
  else if (options.access !== undefined && !sameOrigin(url, options.access.url)) delete headers.authorization;
  return headers;
}

/** `Authorization` for `url` when it is on the access's own origin; nothing elsewhere. */
export function authorizationFor(url: URL, access: RegistryAccess | undefined): string | undefined {
  if (access === undefined || !sameOrigin(url, access.url)) return undefined;
  if (access.token !== undefined && access.token !== '') return `Bearer ${access.token}`;
  if (access.username !== undefined && access.password !== undefined) {
    return `Basic ${Buffer.from(`${access.username}:${access.password}`).toString('base64')}`;
  }
  return undefined;
}

function sameOrigin(url: URL, base: string): boolean {
  try {
    return new URL(base).origin === url.origin;
  } catch {
    return false;
  }
}

async function readBounded(response: Response, maxBytes: number, registry: string): Promise<Buffer> {
  const tooLarge = () =>
    new UpdateSourceError('too-large', `${registry} sent a reply larger than ${formatBytes(maxBytes)}`);
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => {});
    throw tooLarge();
  }
  if (response.body === null) return Buffer.alloc(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

function toSourceError(
  error: unknown,
  registry: string,
  timedOut: boolean,
  timeoutMs: number,
  cancelled: boolean,
): UpdateSourceError {
  if (error instanceof UpdateSourceError) return error;
  if (timedOut) {
    return new UpdateSourceError('timeout', `${registry} did not answer within ${formatMs(timeoutMs)}`);
  }
  if (cancelled) return new UpdateSourceError('unreachable', `request to ${registry} was cancelled`);
  return new UpdateSourceError('unreachable', `could not reach ${registry}${causeCode(error)}`);
}

/** A system error code (`ECONNREFUSED`) is ours to repeat; its message may not be. */
function causeCode(error: unknown): string {
  let cursor: unknown = error;
  for (let depth = 0; depth < 4 && typeof cursor === 'object' && cursor !== null; depth++) {
    const code = (cursor as { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Z][A-Z0-9_]{2,40}$/.test(code)) return ` (${code})`;
    cursor = (cursor as { cause?: unknown }).cause;
  }
  return '';
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / 1024 / 1024} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}
