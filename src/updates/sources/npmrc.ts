/**
 * The user's npm config, read the way npm reads it, for the parts update automation needs: which
 * registry serves a package (`registry`, `@scope:registry`) and which credential goes with that
 * registry (`//host/path/:_authToken`, `:_auth`, `:username` + `:_password`), with `${VAR}`
 * expansion. Sources: env `npm_config_registry` / `NPM_CONFIG_REGISTRY` over the userconfig file
 * (`NPM_CONFIG_USERCONFIG` or `~/.npmrc`). A project `.npmrc` in the config repo is never read: it
 * is pull-request content, and would let a PR send the user's token elsewhere. Parsing is pure and
 * bounded; reading the file is the one effect, in `readUserNpmConfig`.
 */
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';

export const DEFAULT_NPM_REGISTRY = 'https://registry.npmjs.org/';
/** A userconfig bigger than this is not an npmrc anyone wrote by hand: ignored. */
export const MAX_NPMRC_BYTES = 256 * 1024;

/** Keys and values as written, after `${VAR}` expansion. */
export type NpmConfig = Map<string, string>;

export interface NpmRegistryAuth {
  token?: string;
  username?: string;
  password?: string;
}

/** Parse npmrc (ini) text: `key = value` lines, `;`/`#` comments, quoted values, `${VAR}`. */
export function parseNpmrc(text: string, env: NodeJS.ProcessEnv): NpmConfig {
  const config: NpmConfig = new Map();
  for (const rawLine of text.slice(0, MAX_NPMRC_BYTES).split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith(';') || line.startsWith('#') || line.startsWith('[')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = expandVars(line.slice(0, eq).trim(), env);
    const value = expandVars(unquote(line.slice(eq + 1).trim()), env);
    if (key !== '' && value !== undefined && key !== undefined) config.set(key, value);
  }
  return config;
}

function unquote(value: string): string {
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    try {
      const parsed: unknown = JSON.parse(value);
      if (typeof parsed === 'string') return parsed;
    } catch {
      return value.slice(1, -1);
    }
  }
  if (value.length >= 2 && value.startsWith("'") && value.endsWith("'")) return value.slice(1, -1);
  return value;
}

/**
 * npm's `${VAR}` expansion: a set variable is substituted; `${VAR?}` becomes empty when unset;
 * a plain `${VAR}` that is unset makes the whole line unusable (npm fails; we skip the line).
 */
function expandVars(text: string, env: NodeJS.ProcessEnv): string | undefined {
  let missing = false;
  const expanded = text.replace(
    /(\\*)\$\{([^${}?]+)(\?)?\}/g,
    (whole, escapes: string, name: string, optional: string | undefined) => {
      if (escapes.length % 2 === 1) return whole.slice(1);
      const value = env[name];
      if (value === undefined) {
        if (optional === undefined) missing = true;
        return escapes;
      }
      return `${escapes}${value}`;
    },
  );
  return missing ? undefined : expanded;
}

/** The registry for a package: `@scope:registry`, else `registry`, else npmjs. Trailing slash kept. */
export function registryFor(name: string, config: NpmConfig): string {
  const scope = name.startsWith('@') ? name.slice(0, name.indexOf('/')) : undefined;
  const scoped = scope !== undefined ? config.get(`${scope}:registry`) : undefined;
  const chosen = scoped ?? config.get('registry') ?? DEFAULT_NPM_REGISTRY;
  return chosen.endsWith('/') ? chosen : `${chosen}/`;
}

/**
 * The credential npm would send to `registryUrl`: the longest `//host[:port]/path/` key that is a
 * prefix of the URL's path wins (npm walks up the path the same way). Nothing when none matches.
 */
export function authFor(registryUrl: string, config: NpmConfig): NpmRegistryAuth {
  let url: URL;
  try {
    url = new URL(registryUrl);
  } catch {
    return {};
  }
  const segments = url.pathname.split('/').filter((s) => s !== '');
  for (let keep = segments.length; keep >= 0; keep--) {
    const pathPart = segments.slice(0, keep).join('/');
    const prefix = `//${url.host}/${pathPart === '' ? '' : `${pathPart}/`}`;
    const auth = authAt(prefix, config);
    if (auth !== undefined) return auth;
  }
  return {};
}

function authAt(prefix: string, config: NpmConfig): NpmRegistryAuth | undefined {
  const token = config.get(`${prefix}:_authToken`);
  if (token !== undefined && token !== '') return { token };
  const basic = config.get(`${prefix}:_auth`);
  if (basic !== undefined && basic !== '') {
    const decoded = Buffer.from(basic, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  const username = config.get(`${prefix}:username`);
  const password = config.get(`${prefix}:_password`);
  if (username !== undefined && password !== undefined && username !== '') {
    return { username, password: Buffer.from(password, 'base64').toString('utf8') };
  }
  return undefined;
}

/**
 * The user's npm config: the userconfig file, then `npm_config_*` environment variables over it
 * (npm's order). A missing or unreadable file is an empty config; an oversized one is ignored.
 */
export async function readUserNpmConfig(env: NodeJS.ProcessEnv, homeDir: string): Promise<NpmConfig> {
  const file = env.NPM_CONFIG_USERCONFIG ?? env.npm_config_userconfig ?? path.join(homeDir, '.npmrc');
  const config = parseNpmrc(await readBounded(file), env);
  const fromEnv = env.npm_config_registry ?? env.NPM_CONFIG_REGISTRY;
  if (fromEnv !== undefined && fromEnv !== '') config.set('registry', fromEnv);
  return config;
}

async function readBounded(file: string): Promise<string> {
  try {
    const handle = await fs.open(file, 'r');
    try {
      const { size } = await handle.stat();
      if (size > MAX_NPMRC_BYTES) return '';
      const buffer = Buffer.alloc(size);
      const { bytesRead } = await handle.read(buffer, 0, size, 0);
      return buffer.subarray(0, bytesRead).toString('utf8');
    } finally {
      await handle.close();
    }
  } catch {
    return '';
  }
}

export function defaultHomeDir(env: NodeJS.ProcessEnv): string {
  return env.HOME !== undefined && env.HOME !== '' ? env.HOME : os.homedir();
}
