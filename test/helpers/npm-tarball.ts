/**
 * npm package tarballs built here, for the test registry (test/helpers/verdaccio.ts): a gzipped
 * tar with every file under `package/`, byte-for-byte the same for the same files (sorted names,
 * mtime 0, owner 0), and the `dist` fields a packument gives it (sha1 shasum, sha512 integrity).
 * The demo MCP server fixture (test/fixtures/updates/mcp-gitops-demo-server) is built from here
 * for any version and tool list.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';

const run = promisify(execFile);
export const DEMO_SERVER_NAME = 'mcp-gitops-demo-server';
export const DEMO_SERVER_DIR = fileURLToPath(
  new URL('../fixtures/updates/mcp-gitops-demo-server/', import.meta.url),
);
/** Versions the fixture describes, with different tool surfaces (see its README). */
export const DEMO_SERVER_VERSIONS = ['1.0.0', '1.1.0', '2.0.0'] as const;

export interface Tarball {
  bytes: Buffer;
  shasum: string;
  integrity: string;
}

/** Files (relative path → text; `package.json` included) → a tarball. Executable: `bin` targets. */
export async function buildTarball(
  files: Record<string, string>,
  executable: string[] = [],
): Promise<Tarball> {
  const dir = await fs.mkdtemp(path.join(tmpdir(), 'mcp-gitops-tarball-'));
  try {
    const root = path.join(dir, 'package');
    for (const [name, text] of Object.entries(files)) {
      const file = path.join(root, name);
      if (!file.startsWith(`${root}${path.sep}`)) throw new Error(`file name leaves the package: ${name}`);
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.writeFile(file, text, { mode: executable.includes(name) ? 0o755 : 0o644 });
    }
    const tar = path.join(dir, 'package.tar');
    await run('tar', [
      '--create',
      '--file',
      tar,
      '--sort=name',
      '--mtime=@0',
      '--owner=0',
      '--group=0',
      '--numeric-owner',
      '--directory',
      dir,
      'package',
    ]);
    const bytes = gzipSync(await fs.readFile(tar));
    return {
      bytes,
      shasum: createHash('sha1').update(bytes).digest('hex'),
      integrity: `sha512-${createHash('sha512').update(bytes).digest('base64')}`,
    };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** The demo MCP server as `name@version`, offering `tools` (default: the fixture's list for that version). */
export async function demoServerFiles(
  version: string,
  tools?: unknown[],
  name = DEMO_SERVER_NAME,
): Promise<{ files: Record<string, string>; executable: string[] }> {
  const versions = JSON.parse(
    await fs.readFile(path.join(DEMO_SERVER_DIR, 'versions.json'), 'utf8'),
  ) as Record<string, unknown[]>;
  const list = tools ?? versions[version];
  if (list === undefined)
    throw new Error(`the demo server fixture has no tool list for ${version}; pass tools`);
  const packageJson = {
    name,
    version,
    description: 'A tiny MCP server for mcp-gitops update automation tests',
    license: 'Apache-2.0',
    bin: { [name.replace(/^@[^/]+\//, '')]: 'server.js' },
  };
  return {
    files: {
      'package.json': `${JSON.stringify(packageJson, null, 2)}\n`,
      'server.js': await fs.readFile(path.join(DEMO_SERVER_DIR, 'server.js'), 'utf8'),
      'tools.json': `${JSON.stringify(list, null, 2)}\n`,
    },
    executable: ['server.js'],
  };
}

/** The demo server's tarball for a version, written to `dir`; returns its path (for `npm publish`). */
export async function writeDemoServerTarball(
  dir: string,
  version: string,
  tools?: unknown[],
): Promise<string> {
  const { files, executable } = await demoServerFiles(version, tools);
  const tarball = await buildTarball(files, executable);
  const file = path.join(dir, `${DEMO_SERVER_NAME}-${version}.tgz`);
  await fs.writeFile(file, tarball.bytes);
  return file;
}
