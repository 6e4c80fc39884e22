/**
 * Which endpoint a source asks and with which credentials, resolved just before use. The
 * Repository's `updates.registries` names endpoints and credential references (`env:`/`file:`);
 * npm falls back to the user's own npm config (never the config repo's `.npmrc`), PyPI and the MCP
 * registry to their public endpoints, OCI to U2's `resolveOciAccess`. Credentials live only in
 * the returned `RegistryAccess`: nothing here logs, prints or throws them.
 */
import type { RegistryEndpointSpec, RepositoryUpdates, SecretRefField } from '../../core/resources.js';
import type { RegistryAccess, SourceKind } from '../types.js';
import { authFor, defaultHomeDir, readUserNpmConfig, registryFor } from './npmrc.js';
import { resolveOciAccess } from './oci-access.js';

export const DEFAULT_PYPI_URL = 'https://pypi.org';
export const DEFAULT_MCP_REGISTRY_URL = 'https://registry.modelcontextprotocol.io';

export interface ResolveAccessOptions {
  kind: SourceKind;
  /** Package name, image reference or MCP registry entry name. */
  identifier: string;
  registries?: RepositoryUpdates['registries'];
  /** Resolves an `env:VAR` / `file:PATH` reference to its value (src/secrets/). */
  resolveSecret: (ref: string) => Promise<string>;
  /** For the user's npm config; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Where `~/.npmrc` lives; default `$HOME`. */
  homeDir?: string;
}

export async function resolveAccess(options: ResolveAccessOptions): Promise<RegistryAccess> {
  const { kind, registries, resolveSecret } = options;
  switch (kind) {
    case 'oci':
      return resolveOciAccess(options.identifier, registries?.oci, resolveSecret);
    case 'npm':
      return npmAccess(options);
    case 'pypi':
      return endpointAccess(registries?.pypi, DEFAULT_PYPI_URL, resolveSecret);
    case 'mcp':
      return endpointAccess(registries?.mcp, DEFAULT_MCP_REGISTRY_URL, resolveSecret);
  }
}

/**
 * npm: the configured endpoint and its references when given; otherwise the registry the user's
 * npm config picks for this package. The user's npmrc credential for that registry is used when
 * the config gives none: npm matches it by host and path, so it only ever goes where the user
 * sent it.
 */
async function npmAccess(options: ResolveAccessOptions): Promise<RegistryAccess> {
  const env = options.env ?? process.env;
  const spec = options.registries?.npm;
  const npmrc = await readUserNpmConfig(env, options.homeDir ?? defaultHomeDir(env));
  const { url, userinfo } = splitUserinfo(spec?.url ?? registryFor(options.identifier, npmrc));
  const access = await endpointAccess(
    spec?.url === undefined ? spec : { ...spec, url },
    url,
    options.resolveSecret,
  );
  if (hasCredential(access)) return access;
  const auth = authFor(url.endsWith('/') ? url : `${url}/`, npmrc);
  return { ...access, ...(hasCredential(auth) ? auth : userinfo) };
}

/**
 * npm still accepts `registry=https://user:pass@host/`: the credentials move out of the URL (a
 * RegistryAccess URL never holds any) and are used as basic auth when nothing better is given.
 */
function splitUserinfo(raw: string): {
  url: string;
  userinfo: Pick<RegistryAccess, 'username' | 'password'>;
} {
  try {
    const parsed = new URL(raw);
    if (parsed.username === '' && parsed.password === '') return { url: raw, userinfo: {} };
    const userinfo = {
      username: decodeURIComponent(parsed.username),
      password: decodeURIComponent(parsed.password),
    };
    parsed.username = '';
    parsed.password = '';
    return { url: parsed.href, userinfo };
  } catch {
    return { url: raw, userinfo: {} };
  }
}

async function endpointAccess(
  spec: RegistryEndpointSpec | undefined,
  fallbackUrl: string,
  resolveSecret: (ref: string) => Promise<string>,
): Promise<RegistryAccess> {
  const read = async (field: SecretRefField | undefined): Promise<string | undefined> =>
    field === undefined ? undefined : resolveSecret(field.ref);
  const [token, username, password] = await Promise.all([
    read(spec?.token),
    read(spec?.username),
    read(spec?.password),
  ]);
  const access: RegistryAccess = { url: trimSlash(spec?.url ?? fallbackUrl) };
  if (token !== undefined) access.token = token;
  if (username !== undefined) access.username = username;
  if (password !== undefined) access.password = password;
  return access;
}

function hasCredential(access: Partial<RegistryAccess>): boolean {
  return access.token !== undefined || access.username !== undefined;
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
