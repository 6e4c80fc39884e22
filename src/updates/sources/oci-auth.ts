/**
 * How an OCI registry is asked with credentials. A registry answers 401 with a challenge:
 * `Basic` (htpasswd, a lab registry) is answered with the configured username and password;
 * `Bearer realm=…,service=…,scope=…` (Docker Hub, ghcr.io, most hosted registries) sends us to a
 * token endpoint first. That endpoint is named by the registry, so it is distrusted: it must be
 * https unless the registry itself is configured `insecure`, and our username and password go to
 * it only when it is on the registry's own host (or Docker Hub's known pair); elsewhere the token
 * is asked for anonymously, which is enough for public images. A configured `token` is sent to
 * the registry itself as a Bearer token and, when that is refused, to its token endpoint as the
 * password.
 */
import type { RegistryAccess } from '../types.js';
import { originOf, UpdateSourceError } from './errors.js';
import { request, statusError } from './http.js';

export interface Challenge {
  scheme: 'basic' | 'bearer';
  params: Record<string, string>;
}

const MAX_CHALLENGE = 2048;
const MAX_TOKEN_REPLY = 64 * 1024;
const TOKEN = /^[A-Za-z0-9._~+/=-]{1,8192}$/;
const PARAM_VALUE = /^[\x21-\x7e]{0,512}$/;
/** Registry host → the token host it is known to use (credentials may go there). */
const KNOWN_TOKEN_HOSTS: Record<string, string> = { 'registry-1.docker.io': 'auth.docker.io' };

/** Parse a `WWW-Authenticate` header; `undefined` when it is neither Basic nor Bearer. */
export function parseChallenge(header: string | null): Challenge | undefined {
  if (header === null || header.length > MAX_CHALLENGE) return undefined;
  const match = /^\s*(basic|bearer)\b\s*(.*)$/i.exec(header);
  if (match === null) return undefined;
  const scheme = (match[1] ?? '').toLowerCase() as Challenge['scheme'];
  const params: Record<string, string> = {};
  const pattern = /([A-Za-z][A-Za-z0-9_-]*)\s*=\s*(?:"([^"]*)"|([^\s,"]*))/g;
  for (const m of (match[2] ?? '').matchAll(pattern)) {
    const key = (m[1] ?? '').toLowerCase();
    const value = m[2] ?? m[3] ?? '';
    if (PARAM_VALUE.test(value) && !(key in params)) params[key] = value;
  }
  return { scheme, params };
}

/** Whether credentials for `registryUrl` may be sent to the token endpoint `realm`. */
export function mayCarryCredentials(registryUrl: URL, realm: URL): boolean {
  if (realm.hostname.toLowerCase() === registryUrl.hostname.toLowerCase()) return true;
  return KNOWN_TOKEN_HOSTS[registryUrl.hostname.toLowerCase()] === realm.hostname.toLowerCase();
}

function basic(access: RegistryAccess): string | undefined {
  if (access.username === undefined || access.password === undefined) return undefined;
  return `Basic ${Buffer.from(`${access.username}:${access.password}`).toString('base64')}`;
}

/**
 * What the token endpoint is asked with: the username and password, or else a configured token as
 * the password (ghcr.io, GitLab and most hosted registries take a personal access token so).
 */
function realmCredentials(access: RegistryAccess): string | undefined {
  const plain = basic(access);
  if (plain !== undefined || access.token === undefined || access.token === '') return plain;
  return `Basic ${Buffer.from(`${access.username ?? 'token'}:${access.token}`).toString('base64')}`;
}

export interface AuthContext {
  access: RegistryAccess;
  /** The repository asked about (the default scope). */
  repository: string;
  signal: AbortSignal;
  countRequest: () => void;
}

/** The `Authorization` value that answers `challenge`; throws when none can. */
export async function answerChallenge(
  challenge: Challenge | undefined,
  context: AuthContext,
): Promise<string> {
  const { access } = context;
  const registry = originOf(access.url);
  if (challenge?.scheme === 'basic') {
    const value = basic(access);
    if (value === undefined) {
      throw new UpdateSourceError(
        'unauthorized',
        `${registry} requires a username and password; none are configured for it`,
      );
    }
    return value;
  }
  if (challenge?.scheme !== 'bearer' || challenge.params.realm === undefined) {
    throw new UpdateSourceError(
      'unauthorized',
      `${registry} refused the request (HTTP 401) without a usable challenge`,
    );
  }
  return `Bearer ${await fetchToken(challenge.params, context)}`;
}

async function fetchToken(params: Record<string, string>, context: AuthContext): Promise<string> {
  const { access } = context;
  const registryUrl = new URL(access.url);
  const registry = registryUrl.origin;
  let realm: URL;
  try {
    realm = new URL(params.realm ?? '');
  } catch {
    throw new UpdateSourceError('bad-reply', `${registry} named a token endpoint that is not a URL`);
  }
  const plainAllowed = access.insecure === true && realm.protocol === 'http:';
  if (realm.protocol !== 'https:' && !plainAllowed) {
    throw new UpdateSourceError(
      'bad-reply',
      `${registry} named a token endpoint that is not https (${originOf(realm)}); refused`,
    );
  }
  if (realm.username !== '' || realm.password !== '') {
    throw new UpdateSourceError('bad-reply', `${registry} named a token endpoint with credentials in it`);
  }
  if (params.service !== undefined) realm.searchParams.set('service', params.service);
  realm.searchParams.set('scope', params.scope ?? `repository:${context.repository}:pull`);
  const credentials = mayCarryCredentials(registryUrl, realm) ? realmCredentials(access) : undefined;
  const reply = await request(realm.href, {
    accept: 'application/json',
    headers: credentials !== undefined ? { authorization: credentials } : {},
    // The header above is for the realm's origin only: http.ts drops it on a redirect elsewhere.
    access: { url: realm.origin },
    maxBytes: MAX_TOKEN_REPLY,
    signal: context.signal,
    countRequest: context.countRequest,
  });
  const tokenOrigin = originOf(realm);
  if (reply.status !== 200) throw statusError(reply.status, tokenOrigin);
  let body: unknown;
  try {
    body = JSON.parse(reply.body.toString('utf8'));
  } catch {
    throw new UpdateSourceError('bad-reply', `${tokenOrigin} replied with a token that is not JSON`);
  }
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const token = typeof record.token === 'string' ? record.token : record.access_token;
  if (typeof token !== 'string' || !TOKEN.test(token)) {
    throw new UpdateSourceError('bad-reply', `${tokenOrigin} replied without a usable token`);
  }
  return token;
}
