/**
 * A real OCI registry on loopback (TEST-INFRA.md: Debian `docker-registry`, the CNCF
 * distribution): its own config, storage in a temp dir, plain HTTP on 127.0.0.1:PORT, optionally
 * behind htpasswd basic auth (bcrypt from `bcryptjs`, already in node_modules through verdaccio;
 * apache2-utils' `htpasswd` is not installed here), and a registries.conf that marks it insecure
 * for a podman service that pulls from it. `pushImage` pushes real images to it with podman.
 * test/providers/container/registry.ts starts its registry through this.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopProcess, waitFor } from './mcp-servers.js';
import { podman, uncommonPort } from './podman.js';

export interface Registry {
  /** `127.0.0.1:PORT` */
  address: string;
  /** A registries.conf for `startPodmanService({ registriesConf })`. */
  registriesConf: string;
  /** A port on 127.0.0.1 where no registry listens (for pull failures). */
  closedPort: number;
  stop(): Promise<void>;
}

export interface Credentials {
  username: string;
  password: string;
}

const require = createRequire(import.meta.url);
const bcrypt = require('bcryptjs') as { hashSync(password: string, rounds: number): string };

/** Start a registry; with `auth`, every request needs that username and password (basic). */
export async function startOciRegistry(options: { auth?: Credentials } = {}): Promise<Registry> {
  const dir = await mkdtemp(join(tmpdir(), 'mcp-gitops-registry-'));
  const port = await uncommonPort();
  const address = `127.0.0.1:${port}`;
  const config = join(dir, 'config.yml');
  let auth = '';
  if (options.auth !== undefined) {
    const htpasswd = join(dir, 'htpasswd');
    await writeFile(htpasswd, `${options.auth.username}:${bcrypt.hashSync(options.auth.password, 5)}\n`);
    auth = `auth:\n  htpasswd:\n    realm: test-registry\n    path: ${htpasswd}\n`;
  }
  await writeFile(
    config,
    `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, 'data')}\n` +
      `  delete:\n    enabled: true\nhttp:\n  addr: ${address}\n${auth}`,
  );
  const registriesConf = join(dir, 'registries.conf');
  await writeFile(registriesConf, `[[registry]]\nlocation = "${address}"\ninsecure = true\n`);
  const child: ChildProcess = spawn('docker-registry', ['serve', config], { stdio: 'ignore' });
  const stop = async () => {
    if (child.pid !== undefined) await stopProcess(child.pid, 3000);
    await rm(dir, { recursive: true, force: true });
  };
  const ready = options.auth === undefined ? [200] : [401];
  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`docker-registry exited with ${child.exitCode}`);
        return fetch(`http://${address}/v2/`).then(
          (r) => ready.includes(r.status),
          () => false,
        );
      },
      { timeoutMs: 20_000, intervalMs: 100, what: 'docker-registry to listen' },
    );
  } catch (err) {
    await stop();
    throw err;
  }
  return { address, registriesConf, closedPort: await uncommonPort(), stop };
}

export interface PushedImage {
  tag: string;
  /** The manifest digest the registry stored (`sha256:…`). */
  digest: string;
  /** The image's creation time as podman recorded it (ISO 8601). */
  created: string;
}

/**
 * Build one distinct image per tag from `base` (a label carries the tag), push each to
 * `REGISTRY/NAME:TAG` (with `creds` when the registry needs them) and remove the local tag.
 */
export async function pushImages(
  registry: Registry,
  base: string,
  name: string,
  tags: readonly string[],
  creds?: Credentials,
): Promise<PushedImage[]> {
  const repository = `${registry.address}/${name}`;
  const dir = await mkdtemp(join(tmpdir(), 'mcp-gitops-build-'));
  const pushed: PushedImage[] = [];
  try {
    for (const tag of tags) {
      const file = join(dir, 'Containerfile');
      await writeFile(file, `FROM ${base}\nLABEL io.mcp-gitops.test-version=${tag}\n`);
      const ref = `${repository}:${tag}`;
      await podman(['build', '-q', '-t', ref, '-f', file, dir], 120_000);
      const created = await podman([
        'image',
        'inspect',
        '--format',
        '{{.Created.UTC.Format "2006-01-02T15:04:05.000Z07:00"}}',
        ref,
      ]);
      const digestFile = join(dir, 'digest');
      const credArgs = creds !== undefined ? ['--creds', `${creds.username}:${creds.password}`] : [];
      await podman(['push', '--tls-verify=false', ...credArgs, '--digestfile', digestFile, ref], 120_000);
      await podman(['rmi', ref]);
      pushed.push({
        tag,
        digest: (await readFile(digestFile, 'utf8')).trim(),
        created: new Date(created).toISOString(),
      });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return pushed;
}
