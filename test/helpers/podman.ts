/**
 * Real containers for tests (TEST-INFRA.md "Containers"): podman with a containers.conf that works
 * on these machines, a Docker Engine API socket per test file (`podman system service`), and an
 * offline image of server-everything built from this machine's node binary, its libraries and the
 * package's node_modules (no image can be pulled here). The image is built once and reused by
 * every test file and run while it exists.
 */
import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { serverVersion, waitFor } from './mcp-servers.js';
import { pipeProcesses } from './pipe-processes.js';

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const PROJECT_ROOT = resolve(dirname(require.resolve('../../package.json')));

/** The directory inside the image where the project's node_modules subset lives. */
const APP_DIR = '/app';
const EVERYTHING_MAIN = `${APP_DIR}/node_modules/@modelcontextprotocol/server-everything/dist/index.js`;

/** A containers.conf that works here (rlimits cannot be raised; runc instead of crun). */
export function containersConf(): string {
  const dir = join(tmpdir(), 'mcp-gitops-podman');
  const file = join(dir, 'containers.conf');
  const text =
    '[containers]\ndefault_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]\n[engine]\nruntime = "runc"\n';
  if (!existsSync(file) || readFileSync(file, 'utf8') !== text) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, text);
  }
  return file;
}

function podmanEnv(): NodeJS.ProcessEnv {
  return { ...process.env, CONTAINERS_CONF: containersConf() };
}

/** Run the podman CLI; stdout trimmed. Rejects on a non-zero exit. */
export async function podman(args: readonly string[], timeoutMs = 60_000): Promise<string> {
  const { stdout } = await run('podman', [...args], {
    env: podmanEnv(),
    timeout: timeoutMs,
    maxBuffer: 32 * 1024 * 1024,
  });
  return stdout.trim();
}

/** The test image's reference: server-everything over streamable HTTP on $PORT at /mcp. */
export function everythingImage(): { identifier: string; version: string; ref: string } {
  const version = `${serverVersion('everything')}-node${process.versions.node}`;
  const identifier = 'localhost/mcp-gitops-test-everything';
  return { identifier, version, ref: `${identifier}:${version}` };
}

/**
 * Build the server-everything image offline unless it exists: node, the libraries `ldd` lists,
 * the dynamic loader, and the package with its production dependencies (at the same relative
 * paths as in this project's node_modules, so resolution inside is the same).
 * ENTRYPOINT runs the package; CMD is its transport (`streamableHttp`), which packageArguments
 * replace.
 */
export async function ensureEverythingImage(): Promise<string> {
  const { ref } = everythingImage();
  const exists = () =>
    run('podman', ['image', 'exists', ref], { env: podmanEnv() }).then(
      () => true,
      () => false,
    );
  if (await exists()) return ref;
  // Test files run side by side: one builds, the others wait for its image (bounded; a lock
  // left by a killed run is taken over after BUILD_LOCK_STALE_MS).
  const lock = join(dirname(containersConf()), 'build.lock');
  const deadline = Date.now() + BUILD_LOCK_STALE_MS;
  while (!tryLock(lock)) {
    if (await exists()) return ref;
    if (Date.now() > deadline) {
      rmSync(lock, { recursive: true, force: true });
      continue;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  try {
    if (!(await exists())) await buildEverythingImage(ref);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
  return ref;
}

const BUILD_LOCK_STALE_MS = 180_000;
/** `tar | podman import` of the ~140 MB rootfs takes ~3 s; a slow shared machine gets far more. */
const IMPORT_TIMEOUT_MS = 150_000;

function tryLock(dir: string): boolean {
  try {
    mkdirSync(dir);
    return true;
  } catch {
    return false;
  }
}

async function buildEverythingImage(ref: string): Promise<void> {
  const rootfs = await mkdtemp(join(tmpdir(), 'mcp-gitops-rootfs-'));
  try {
    const node = process.execPath;
    await copyInto(rootfs, node, '/usr/bin/node');
    const ldd = execFileSync('ldd', [node], { encoding: 'utf8' });
    for (const lib of ldd.match(/\/\S+/g) ?? []) await copyInto(rootfs, lib, lib);
    for (const dir of packageClosure('@modelcontextprotocol/server-everything')) {
      await copyInto(rootfs, dir, join(APP_DIR, relative(PROJECT_ROOT, dir)));
    }
    mkdirSync(join(rootfs, 'tmp'), { recursive: true, mode: 0o1777 });
    const entrypoint = JSON.stringify(['/usr/bin/node', EVERYTHING_MAIN]);
    // A podman that cannot start or exits early ends the wait at once (and stops tar).
    await pipeProcesses(
      { command: 'tar', args: ['-C', rootfs, '-cf', '-', '.'] },
      {
        command: 'podman',
        args: [
          'import',
          '--change',
          'STOPSIGNAL SIGINT',
          '--change',
          `ENTRYPOINT ${entrypoint}`,
          '--change',
          'CMD ["streamableHttp"]',
          '--change',
          `WORKDIR ${APP_DIR}`,
          '-',
          ref,
        ],
        env: podmanEnv(),
      },
      IMPORT_TIMEOUT_MS,
    );
  } finally {
    await rm(rootfs, { recursive: true, force: true });
  }
}

async function copyInto(rootfs: string, source: string, inside: string): Promise<void> {
  await cp(source, join(rootfs, inside), { recursive: true, dereference: true });
}

/** Directories of a package and of its production dependencies, resolved as node would. */
function packageClosure(name: string): string[] {
  const seen = new Set<string>();
  const visit = (pkg: string, from: string) => {
    const dir = findPackageDir(pkg, from);
    if (!dir || seen.has(dir)) return;
    seen.add(dir);
    const json = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
      optionalDependencies?: Record<string, string>;
    };
    for (const dep of Object.keys({ ...json.dependencies, ...json.optionalDependencies })) visit(dep, dir);
  };
  visit(name, PROJECT_ROOT);
  return [...seen];
}

function findPackageDir(pkg: string, from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', pkg);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dir === dirname(dir) || relative(PROJECT_ROOT, dir).startsWith('..')) return undefined;
  }
}

export interface PodmanService {
  /** Path of the Docker Engine API unix socket. */
  socket: string;
  stop(): Promise<void>;
}

/**
 * `podman system service` on a private unix socket; ready when `/_ping` answers. `registriesConf`:
 * a registries.conf for this service only (e.g. a loopback registry marked insecure).
 */
export async function startPodmanService(options: { registriesConf?: string } = {}): Promise<PodmanService> {
  const dir = await mkdtemp(join(tmpdir(), 'mcp-gitops-podman-sock-'));
  const socket = join(dir, 'podman.sock');
  const env = options.registriesConf
    ? { ...podmanEnv(), CONTAINERS_REGISTRIES_CONF: options.registriesConf }
    : podmanEnv();
  const child: ChildProcess = spawn('podman', ['system', 'service', '--time=0', `unix://${socket}`], {
    env,
    stdio: 'ignore',
  });
  // A service that cannot start or exits ends the wait for its socket at once.
  let gone: Error | undefined;
  child.once('error', (err) => {
    gone ??= new Error(`podman system service could not run: ${err.message}`);
  });
  child.once('exit', (code, signal) => {
    gone ??= new Error(`podman system service exited (${signal ?? `code ${code}`}) before serving ${socket}`);
  });
  const stop = async () => {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(
      () => {
        if (gone) throw gone;
        return ping(socket);
      },
      { timeoutMs: 20_000, intervalMs: 100, what: 'podman API socket' },
    );
  } catch (err) {
    await stop();
    throw err;
  }
  return { socket, stop };
}

function ping(socket: string): Promise<boolean> {
  if (!existsSync(socket)) return Promise.resolve(false);
  return new Promise((done) => {
    const req = request({ socketPath: socket, path: '/_ping', timeout: 2000 }, (res) => {
      res.resume();
      done(res.statusCode === 200);
    });
    req.on('error', () => done(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

/**
 * Force-remove every container carrying `label` (test cleanup, whatever state they are in), then
 * every volume carrying it (the container provider's image records are labelled volumes).
 */
export async function removeContainersWithLabel(label: string): Promise<void> {
  // A container its restart policy keeps restarting can refuse a removal that races a restart
  // ("container state improper"): try again, a bounded number of times.
  for (let attempt = 1; ; attempt++) {
    const ids = (await podman(['ps', '-aq', '--filter', `label=${label}`])).split('\n').filter(Boolean);
    if (ids.length === 0) break;
    try {
      await podman(['rm', '-f', '-t', '0', ...ids]);
      break;
    } catch (err) {
      if (attempt >= 5) throw err;
      await new Promise((r) => setTimeout(r, 300));
    }
  }
  const volumes = (await podman(['volume', 'ls', '-q', '--filter', `label=${label}`]))
    .split('\n')
    .filter(Boolean);
  if (volumes.length > 0) await podman(['volume', 'rm', '-f', ...volumes]);
}

/** The main process id of a running container, as the host sees it. */
export async function containerPid(name: string): Promise<number> {
  const pid = Number(await podman(['inspect', '--format', '{{.State.Pid}}', name]));
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`container ${name} has no running process`);
  return pid;
}

/** Labels of a container as `podman inspect` shows them. */
export async function containerLabels(name: string): Promise<Record<string, string>> {
  return JSON.parse(await podman(['inspect', '--format', '{{json .Config.Labels}}', name])) as Record<
    string,
    string
  >;
}

/** A port in 40000–49999 that was free on 127.0.0.1 a moment ago. */
export async function uncommonPort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 40_000 + Math.floor(Math.random() * 10_000);
    const free = await new Promise<boolean>((done) => {
      const server = createServer();
      server.once('error', () => done(false));
      server.listen(port, '127.0.0.1', () => server.close(() => done(true)));
    });
    if (free) return port;
  }
  throw new Error('no free port in 40000-49999');
}
