/**
 * npm package tarballs built here, for the test registry (test/helpers/verdaccio.ts): a gzipped
 * tar with every file under `package/`, byte-for-byte the same for the same files (sorted names,
 * mtime 0, owner 0; written in-process, no tar child), and the `dist` fields a packument gives it
 * (sha1 shasum, sha512 integrity). The demo MCP server fixture
 * (test/fixtures/updates/mcp-gitops-demo-server) is built from here for any version and tool list.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

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
export function buildTarball(files: Record<string, string>, executable: string[] = []): Tarball {
  const blocks: Buffer[] = [];
  for (const name of Object.keys(files).sort()) {
    const entry = `package/${name}`;
    if (name.split('/').some((part) => part === '' || part === '.' || part === '..')) {
      throw new Error(`file name leaves the package: ${name}`);
    }
    const body = Buffer.from(files[name] ?? '', 'utf8');
    blocks.push(tarHeader(entry, body.length, executable.includes(name) ? 0o755 : 0o644), body);
    blocks.push(Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  const bytes = gzipSync(Buffer.concat(blocks));
  return {
    bytes,
    shasum: createHash('sha1').update(bytes).digest('hex'),
    integrity: `sha512-${createHash('sha512').update(bytes).digest('base64')}`,
  };
}

/**
 * A ustar header for a regular file: owner 0, mtime 0, so the same files give the same bytes.
 * Built here rather than by spawning tar: seeding hundreds of versions for a bench stays fast.
 */
function tarHeader(name: string, size: number, mode: number): Buffer {
  const header = Buffer.alloc(512);
  const nameBytes = Buffer.from(name, 'utf8');
  if (nameBytes.length > 100) throw new Error(`file name too long for this tar writer: ${name}`);
  nameBytes.copy(header, 0);
  const octal = (value: number, offset: number, width: number) =>
    header.write(`${value.toString(8).padStart(width - 1, '0')}\0`, offset, width, 'ascii');
  octal(mode, 100, 8);
  octal(0, 108, 8);
  octal(0, 116, 8);
  octal(size, 124, 12);
  octal(0, 136, 12);
  header.write(' '.repeat(8), 148, 8, 'ascii');
  header.write('0', 156, 1, 'ascii');
  header.write('ustar\0', 257, 6, 'ascii');
  header.write('00', 263, 2, 'ascii');
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  return header;
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
  const tarball = buildTarball(files, executable);
  const file = path.join(dir, `${DEMO_SERVER_NAME}-${version}.tgz`);
  await fs.writeFile(file, tarball.bytes);
  return file;
}
