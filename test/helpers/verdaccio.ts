/**
 * A real npm registry for tests and benches: verdaccio 6.0.5 (a devDependency) on a free loopback
 * port, with its own config file, htpasswd and storage in a temp directory and no uplinks, so it
 * never reaches the internet. Anyone may read; publishing needs the test user, whose token the
 * helper holds. Packages matching `@private/*` need that token to be read too (for tests of
 * credentials). `publish` runs the real `npm publish`; `seed` writes storage directly
 * (test/helpers/verdaccio-seed.ts) for many packages or publish times in the past. Should a test
 * process die without `stop()`, an exit hook kills verdaccio and removes the directory.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  freePorts,
  installExitHook,
  launch,
  live,
  type Proc,
  readLog,
  running,
  sleep,
  terminate,
} from './kube-processes.js';
import { type SeedVersion, seedPackage } from './verdaccio-seed.js';

export type { SeedVersion } from './verdaccio-seed.js';

const run = promisify(execFile);
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const VERDACCIO_BIN = path.join(REPO, 'node_modules', 'verdaccio', 'bin', 'verdaccio');
const START_TIMEOUT_MS = 60_000;
export const TEST_USER = { name: 'mcp-gitops-test', password: 'verdaccio-test-password-1' };

export interface Verdaccio {
  /** `http://127.0.0.1:PORT/` (trailing slash, as npm writes registries). */
  url: string;
  storage: string;
  /** A token of the test user: may publish, and read `@private/*`. */
  token: string;
  /** A userconfig file (`--userconfig`) with the token for this registry. */
  npmrc: string;
  /** `npm publish` of a package directory or tarball; `tag` for a version below `latest`. */
  publish(dirOrTarball: string, options?: { tag?: string }): Promise<void>;
  /** Adds versions to a package by writing storage directly (served at once). */
  seed(name: string, versions: SeedVersion[]): Promise<void>;
  stop(): Promise<void>;
}

export async function startVerdaccio(): Promise<Verdaccio> {
  const dir = await fs.mkdtemp(path.join(tmpdir(), 'mcp-gitops-verdaccio-'));
  const storage = path.join(dir, 'storage');
  await fs.mkdir(storage);
  await fs.writeFile(path.join(dir, 'config.yaml'), configYaml(dir));
  installExitHook();
  const entry = { procs: [] as Proc[], dir };
  live.add(entry);
  try {
    let proc: Proc | undefined;
    let url = '';
    for (let attempt = 1; proc === undefined; attempt++) {
      const [port] = await freePorts(1);
      url = `http://127.0.0.1:${port}/`;
      const started = launch('verdaccio', process.execPath, dir, [
        VERDACCIO_BIN,
        '--config',
        path.join(dir, 'config.yaml'),
        '--listen',
        `127.0.0.1:${port}`,
      ]);
      entry.procs = [started];
      if (await waitReady(started, url)) proc = started;
      else if (attempt >= 2 || !(await readLog(started)).includes('EADDRINUSE')) {
        await terminate(started);
        throw new Error(`verdaccio did not start:\n${(await readLog(started)).slice(-2000)}`);
      }
    }
    const token = await addUser(url);
    const npmrc = path.join(dir, 'npmrc');
    await fs.writeFile(npmrc, `//${new URL(url).host}/:_authToken=${token}\n`);
    const started = proc;
    return {
      url,
      storage,
      token,
      npmrc,
      publish: (what, options) => npmPublish(url, npmrc, dir, what, options?.tag),
      seed: (name, versions) => seedPackage(storage, url, name, versions),
      async stop() {
        await terminate(started);
        live.delete(entry);
        await fs.rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    live.delete(entry);
    await fs.rm(dir, { recursive: true, force: true });
    throw error;
  }
}

function configYaml(dir: string): string {
  return [
    `storage: ${JSON.stringify(path.join(dir, 'storage'))}`,
    'auth:',
    '  htpasswd:',
    `    file: ${JSON.stringify(path.join(dir, 'htpasswd'))}`,
    '    max_users: 10',
    'uplinks: {}',
    'packages:',
    "  '@private/*':",
    '    access: $authenticated',
    '    publish: $authenticated',
    "  '**':",
    '    access: $all',
    '    publish: $authenticated',
    '    unpublish: $authenticated',
    'web:',
    '  enable: false',
    'log: { type: stdout, format: pretty, level: warn }',
    '',
  ].join('\n');
}

/** Polls `/-/ping` until it answers; false when the process exits first or time runs out. */
async function waitReady(proc: Proc, url: string): Promise<boolean> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (!running(proc)) return false;
    try {
      const response = await fetch(new URL('-/ping', url), { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (response.ok) return true;
    } catch {
      // Not listening yet.
    }
    await sleep(150);
  }
  return false;
}

/** Registers the test user (verdaccio's htpasswd allows sign-up) and returns its token. */
async function addUser(url: string): Promise<string> {
  const response = await fetch(new URL(`-/user/org.couchdb.user:${TEST_USER.name}`, url), {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: TEST_USER.name, password: TEST_USER.password }),
  });
  const body = (await response.json()) as { token?: unknown };
  if (!response.ok || typeof body.token !== 'string') {
    throw new Error(`verdaccio refused the test user (HTTP ${response.status})`);
  }
  return body.token;
}

async function npmPublish(
  url: string,
  npmrc: string,
  dir: string,
  what: string,
  tag?: string,
): Promise<void> {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^npm_config_/i.test(key)) env[key] = value;
  }
  const args = [
    'publish',
    what,
    '--registry',
    url,
    '--userconfig',
    npmrc,
    '--cache',
    path.join(dir, 'npm-cache'),
  ];
  if (tag !== undefined) args.push('--tag', tag);
  await run('npm', args, { env, cwd: dir, timeout: 60_000 });
}
