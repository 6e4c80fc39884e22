/**
 * A real npm registry on loopback, as small as npm needs: one package, many versions, each a
 * tarball made with `tar` from a tiny long-running bin that logs its version. Tests point npm at
 * it (and at a fresh cache) through `npm_config_registry` / `npm_config_cache`, so installs are
 * real `npm install`s that never leave the machine; a version it does not have is npm's own
 * ETARGET.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface Registry {
  url: string;
  name: string;
  /** Set npm's registry and cache for this process (and the hosts' npm it spawns); returns the undo. */
  use(cacheDir: string): () => void;
  stop(): Promise<void>;
}

const BIN = `#!/usr/bin/env node
const { version } = require('../package.json');
console.log('bumpy ' + version + ' up');
setInterval(() => {}, 1 << 30);
`;

export async function startRegistry(dir: string, name: string, versions: string[]): Promise<Registry> {
  const tarballs = new Map<string, Buffer>();
  const manifests: Record<string, unknown> = {};
  let url = '';
  for (const version of versions) {
    const root = join(dir, `build-${version}`);
    mkdirSync(join(root, 'package', 'bin'), { recursive: true });
    const pkg = { name, version, bin: { [name]: 'bin/server.js' }, license: 'MIT' };
    writeFileSync(join(root, 'package', 'package.json'), JSON.stringify(pkg, null, 2));
    writeFileSync(join(root, 'package', 'bin', 'server.js'), BIN, { mode: 0o755 });
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
  const server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]!);
    if (path === `/${name}`) {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ name, 'dist-tags': { latest: versions.at(-1) }, versions: manifests }));
      return;
    }
    const tarball = tarballs.get(path.split('/').pop() ?? '');
    if (path.startsWith(`/${name}/-/`) && tarball) {
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
    name,
    use(cacheDir) {
      const before = { registry: process.env.npm_config_registry, cache: process.env.npm_config_cache };
      process.env.npm_config_registry = `${url}/`;
      process.env.npm_config_cache = cacheDir;
      return () => {
        for (const [key, value] of [
          ['npm_config_registry', before.registry],
          ['npm_config_cache', before.cache],
        ] as const) {
          if (value === undefined) delete process.env[key];
          else process.env[key] = value;
        }
      };
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
