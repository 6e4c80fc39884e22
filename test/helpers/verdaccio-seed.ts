/**
 * Packages written straight into a running verdaccio's storage, in its own format
 * (`storage/<name>/package.json` and `<basename>-<version>.tgz`, scoped names under
 * `storage/@scope/name/`), so a test or bench can create many packages at once and give versions
 * publish times in the past, which `npm publish` cannot. Measured on verdaccio 6.0.5: its local
 * storage reads package.json on every request, so a seeded package is served at once, without a
 * restart, and needs no entry in `.verdaccio-db.json` (that list only feeds search and the web UI).
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import semver from 'semver';
import { buildTarball, demoServerFiles } from './npm-tarball.js';

export interface SeedVersion {
  version: string;
  /** ISO 8601; default now. */
  publishedAt?: string;
  /** A deprecation message: the registry marks the version deprecated. */
  deprecated?: string;
  /** The package's files (relative path → text); `package.json` is added when missing. */
  files?: Record<string, string>;
  /** The demo MCP server offering these tools (test/fixtures/updates/mcp-gitops-demo-server). */
  tools?: unknown[];
}

type Packument = {
  name: string;
  versions: Record<string, Record<string, unknown>>;
  time: Record<string, string>;
  'dist-tags': Record<string, string>;
  [key: string]: unknown;
};

/** Adds `versions` to package `name` in `storage` (creating it), served from `registryUrl`. */
export async function seedPackage(
  storage: string,
  registryUrl: string,
  name: string,
  versions: SeedVersion[],
): Promise<void> {
  const dir = path.join(storage, ...name.split('/'));
  await fs.mkdir(dir, { recursive: true });
  const file = path.join(dir, 'package.json');
  const packument = await readPackument(file, name);
  const basename = name.replace(/^@[^/]+\//, '');
  const now = new Date().toISOString();
  for (const entry of versions) {
    const { files, executable } = await packageFiles(name, entry);
    const tarball = buildTarball(files, executable);
    const tarballName = `${basename}-${entry.version}.tgz`;
    await fs.writeFile(path.join(dir, tarballName), tarball.bytes);
    const manifest = JSON.parse(files['package.json'] ?? '{}') as Record<string, unknown>;
    packument.versions[entry.version] = {
      ...manifest,
      name,
      version: entry.version,
      _id: `${name}@${entry.version}`,
      ...(entry.deprecated !== undefined ? { deprecated: entry.deprecated } : {}),
      dist: {
        shasum: tarball.shasum,
        integrity: tarball.integrity,
        tarball: `${registryUrl.replace(/\/$/, '')}/${name}/-/${tarballName}`,
      },
    };
    packument.time[entry.version] = entry.publishedAt ?? now;
    (packument._attachments as Record<string, unknown>)[tarballName] = {
      shasum: tarball.shasum,
      version: entry.version,
    };
  }
  const stable = Object.keys(packument.versions)
    .filter((v) => semver.valid(v) !== null && semver.prerelease(v) === null)
    .sort(semver.rcompare);
  const latest = stable[0] ?? Object.keys(packument.versions).sort(semver.rcompare)[0];
  if (latest !== undefined) packument['dist-tags'].latest = latest;
  const times = Object.entries(packument.time)
    .filter(([key]) => key !== 'created' && key !== 'modified')
    .map(([, time]) => time)
    .sort();
  packument.time.created = times[0] ?? now;
  packument.time.modified = times.at(-1) ?? now;
  // Written whole, then renamed: a request meanwhile sees the old document or the new one.
  const partial = `${file}.seed-${process.pid}`;
  await fs.writeFile(partial, JSON.stringify(packument, null, 2));
  await fs.rename(partial, file);
}

async function readPackument(file: string, name: string): Promise<Packument> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as Packument;
  } catch {
    return {
      name,
      versions: {},
      time: {},
      users: {},
      'dist-tags': {},
      _uplinks: {},
      _distfiles: {},
      _attachments: {},
      _rev: '1-0000000000000000',
    };
  }
}

async function packageFiles(
  name: string,
  entry: SeedVersion,
): Promise<{ files: Record<string, string>; executable: string[] }> {
  if (entry.tools !== undefined) return demoServerFiles(entry.version, entry.tools, name);
  const files = { ...(entry.files ?? { 'index.js': 'module.exports = {};\n' }) };
  if (files['package.json'] === undefined) {
    files['package.json'] =
      `${JSON.stringify({ name, version: entry.version, main: 'index.js' }, null, 2)}\n`;
  }
  return { files, executable: [] };
}
