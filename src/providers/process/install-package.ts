/**
 * Installs a pinned npm package side by side per version (`<baseDir>/packages/<id>@<version>/`)
 * with the host's npm, and finds the script its `bin` names. Idempotent: a completed install (a
 * marker written after npm succeeds) is reused. Installs of one directory are serialized within
 * this process.
 */
import { McpGitopsError } from '../../core/errors.js';
import type { Host } from '../../hosts/types.js';

const INSTALL_TIMEOUT_MS = 300_000;
const inFlight = new Map<string, Promise<string>>();

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
    pending = ensureInstalled(host, prefix, identifier, version).finally(() => inFlight.delete(key));
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
  const args = ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--omit=dev', '--prefer-offline'];
  const result = await host.exec(npm, [...args, `${identifier}@${version}`], {
    timeoutMs: INSTALL_TIMEOUT_MS,
  });
  if (result.exitCode !== 0) {
    throw new McpGitopsError(
      'ERR_PROVIDER',
      `npm install ${identifier}@${version} failed (exit ${result.exitCode})`,
      {
        hint: lastLines(result.stderr) || 'run the same npm install by hand on the host to see why',
      },
    );
  }
  const after = await readPackageJson(host, prefix, identifier);
  if (after?.version !== version) {
    throw new McpGitopsError(
      'ERR_PROVIDER',
      `npm install ${identifier}@${version} did not install that version`,
    );
  }
  await host.writeFile(marker, `${identifier}@${version}\n`);
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

function lastLines(text: string, count = 3): string {
  return text
    .trim()
    .split('\n')
    .filter((l) => l && !l.includes('Unknown user config'))
    .slice(-count)
    .join(' | ');
}
