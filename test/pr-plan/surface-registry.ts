/**
 * A real npm registry on loopback serving one MCP server package in several versions, each a real
 * tarball whose bin is a real stdio MCP server (test/helpers/surface-server.ts) with that version's
 * tool surface baked in. A Server spec reaches it with `runtimeArguments: [--registry=URL]`, so
 * `npx -y --registry=URL name@version` really fetches and starts the version a pull request names.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createSurfaceServer, type SurfaceFile } from '../helpers/surface-server.js';

export interface SurfaceRegistry {
  url: string;
  /** Tarballs served so far, by file name. */
  fetched: string[];
  stop(): Promise<void>;
}

export async function startSurfaceRegistry(
  dir: string,
  name: string,
  versions: Record<string, SurfaceFile>,
): Promise<SurfaceRegistry> {
  const script = createSurfaceServer(join(dir, 'script')).script;
  const tarballs = new Map<string, Buffer>();
  const manifests: Record<string, unknown> = {};
  let url = '';
  for (const [version, surface] of Object.entries(versions)) {
    const root = join(dir, `build-${version}`);
    mkdirSync(join(root, 'package', 'bin'), { recursive: true });
    const pkg = { name, version, type: 'module', bin: { [name]: 'bin/server.mjs' }, license: 'MIT' };
    writeFileSync(join(root, 'package', 'package.json'), JSON.stringify(pkg, null, 2));
    writeFileSync(join(root, 'package', 'surface.json'), JSON.stringify(surface));
    writeFileSync(
      join(root, 'package', 'bin', 'server.mjs'),
      `#!/usr/bin/env node\nimport { fileURLToPath } from 'node:url';\nprocess.argv[2] = fileURLToPath(new URL('../surface.json', import.meta.url));\nawait import(${JSON.stringify(pathToFileURL(script).href)});\n`,
      { mode: 0o755 },
    );
    const file = join(root, `${name}-${version}.tgz`);
    execFileSync('tar', ['-czf', file, '-C', root, 'package'], { timeout: 30_000 });
    const bytes = readFileSync(file);
    tarballs.set(`${name}-${version}.tgz`, bytes);
    manifests[version] = {
      ...pkg,
      dist: {
        get tarball() {
          return `${url}/${name}/-/${name}-${version}.tgz`;
        },
        shasum: createHash('sha1').update(bytes).digest('hex'),
        integrity: `sha512-${createHash('sha512').update(bytes).digest('base64')}`,
      },
    };
  }
  const latest = Object.keys(versions).at(-1);
  const fetched: string[] = [];
  const server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]!);
    if (path === `/${name}`) {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ name, 'dist-tags': { latest }, versions: manifests }));
      return;
    }
    const tarball = tarballs.get(path.split('/').pop() ?? '');
    if (path.startsWith(`/${name}/-/`) && tarball) {
      fetched.push(path.split('/').pop()!);
      res.setHeader('content-type', 'application/octet-stream');
      res.end(tarball);
      return;
    }
    res.statusCode = 404;
    res.end('{"error":"not found"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    fetched,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
