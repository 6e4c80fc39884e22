/**
 * Installs a pinned npm package side by side per version (`<baseDir>/packages/<id>@<version>/`)
 * with the host's npm, and finds the script its `bin` names. Idempotent: a completed install (a
 * marker written after npm succeeds) is reused. Installs of one directory are serialized within
 * this process. Installing is its own step of apply with its own timeout, before the server
 * starts: its time never counts against `health.timeoutMs`, and a failure says what npm said
 * ("npm could not install X@V: …") and leaves no half-made install behind.
 */
import { McpGitopsError } from '../../core/errors.js';
import type { Host } from '../../hosts/types.js';

const INSTALL_TIMEOUT_MS = 300_000;

/** Progress lines for the server being installed (the provider context names it). */
type InstallProgress = (text: string, ongoing?: string) => void;
const inFlight = new Map<string, Promise<string>>();
/** Install directories an apply in this process is using, per host: housekeeping keeps them. */
const held = new Map<string, Map<string, number>>();

/** Keep `prefix` from housekeeping until the returned function is called. */
export function holdInstall(host: Host, prefix: string): () => void {
  let prefixes = held.get(host.id);
  if (!prefixes) {
    prefixes = new Map();
    held.set(host.id, prefixes);
  }
  prefixes.set(prefix, (prefixes.get(prefix) ?? 0) + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const count = (prefixes.get(prefix) ?? 1) - 1;
    if (count > 0) prefixes.set(prefix, count);
    else prefixes.delete(prefix);
  };
}

export function installsInProgress(host: Host): string[] {
  return [...(held.get(host.id)?.keys() ?? [])];
}

const NPM_NAME = /^(@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;
const EXACT_VERSION = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

export interface InstalledPackage {
  /** Absolute path of the script the package's `bin` names. */
  bin: string;
  version: string;
}

interface PackageJson {
  name?: string;
  version?: string;
  bin?: string | Record<string, string>;
}

export async function installPackage(
  host: Host,
  prefix: string,
  identifier: string,
  version: string,
  progress?: InstallProgress,
): Promise<InstalledPackage> {
  if (!NPM_NAME.test(identifier)) {
    throw new McpGitopsError('ERR_PROVIDER', `"${identifier}" is not an npm package name`);
  }
  if (!EXACT_VERSION.test(version)) {
    throw new McpGitopsError('ERR_PROVIDER', `${identifier}: version "${version}" is not an exact version`, {
      hint: 'pin an exact version such as 1.2.3; the process provider installs one version per directory',
    });
  }
  const key = `${host.id}\0${prefix}`;
  let pending = inFlight.get(key);
  if (!pending) {
    pending = ensureInstalled(host, prefix, identifier, version, progress).finally(() =>
      inFlight.delete(key),
    );
    inFlight.set(key, pending);
  }
  await pending;
  return { bin: await findBin(host, prefix, identifier), version };
}

async function ensureInstalled(
  host: Host,
  prefix: string,
  identifier: string,
  version: string,
  progress: InstallProgress | undefined,
): Promise<string> {
  // The marker is written only after npm succeeded: an interrupted install is redone, not reused.
  const marker = `${prefix}/.mcp-gitops-installed`;
  if ((await host.readFile(marker))?.trim() === `${identifier}@${version}`) return prefix;
  const npm = await host.which('npm');
  if (!npm) {
    throw new McpGitopsError('ERR_PROVIDER', `npm is not on the PATH of host ${host.id}`, {
      hint: 'install Node.js with npm on the host',
    });
  }
  await host.mkdir(prefix);
  progress?.(`installing ${identifier}@${version} with npm`, 'installing');
  const started = performance.now();
  const args = ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--omit=dev', '--prefer-offline'];
  const result = await host.exec(npm, [...args, `${identifier}@${version}`], {
    timeoutMs: INSTALL_TIMEOUT_MS,
  });
  const took = `${((performance.now() - started) / 1000).toFixed(1)} s`;
  if (result.exitCode !== 0) {
    progress?.(`npm could not install ${identifier}@${version} (${took})`);
    await host.remove(prefix, { recursive: true });
    const reason =
      result.exitCode === 124 && /timed out/i.test(result.stderr)
        ? `no result after ${INSTALL_TIMEOUT_MS / 1000} s (the install's own timeout)`
        : npmReason(result.stderr) || `npm install exited with code ${result.exitCode}`;
    throw new McpGitopsError('ERR_PROVIDER', `npm could not install ${identifier}@${version}: ${reason}`, {
      hint: 'run the same npm install by hand on the host for the whole story',
    });
  }
  const after = await readPackageJson(host, prefix, identifier);
  if (after?.version !== version) {
    await host.remove(prefix, { recursive: true });
    throw new McpGitopsError(
      'ERR_PROVIDER',
      `npm could not install ${identifier}@${version}: it installed ${after?.version ?? 'nothing'} instead`,
    );
  }
  await host.writeFile(marker, `${identifier}@${version}\n`);
  progress?.(`installed ${identifier}@${version} (${took})`);
  return prefix;
}

async function readPackageJson(
  host: Host,
  prefix: string,
  identifier: string,
): Promise<PackageJson | undefined> {
  const text = await host.readFile(`${prefix}/node_modules/${identifier}/package.json`);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as PackageJson;
  } catch {
    return undefined;
  }
}

async function findBin(host: Host, prefix: string, identifier: string): Promise<string> {
  const pkg = await readPackageJson(host, prefix, identifier);
  const bin = pkg?.bin;
  let relative: string | undefined;
  if (typeof bin === 'string') relative = bin;
  else if (bin && typeof bin === 'object') {
    const unscoped = identifier.split('/').pop() ?? identifier;
    const entries = Object.entries(bin);
    relative = (bin[unscoped] ?? (entries.length === 1 ? entries[0]![1] : undefined)) as string | undefined;
    relative ??= entries.find(([name]) => name.startsWith('mcp-server') || name.includes(unscoped))?.[1];
    relative ??= entries[0]?.[1];
  }
  if (!relative) {
    throw new McpGitopsError('ERR_PROVIDER', `${identifier} declares no bin in its package.json`, {
      hint: 'use a command: server with the script to run instead of package:',
    });
  }
  return `${prefix}/node_modules/${identifier}/${relative.replace(/^\.\//, '')}`;
}

/**
 * What npm said went wrong, without its noise: `npm error notarget No matching version found for
 * x@9.9.9.` from the lines npm prints (`npm error code ETARGET`, the log file's path and blank
 * `npm error` lines left out).
 */
export function npmReason(stderr: string, count = 2): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.includes('Unknown user config'));
  const errors = lines
    .filter((l) => /^npm (error|ERR!)/.test(l))
    .map((l) => l.replace(/^npm (error|ERR!)\s*/, ''))
    .filter((l) => l && !/^(code|errno|syscall) \S+$/.test(l) && !/complete log of this run/i.test(l))
    .map((l) => l.replace(/^[a-z]+ (?=[A-Z])/, ''));
  return (errors.length > 0 ? errors : lines).slice(0, count).join(' ');
}
