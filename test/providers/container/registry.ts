/**
 * A real OCI registry on loopback for pull tests (TEST-INFRA.md: Debian `docker-registry`, the
 * CNCF distribution): its own config, storage in a temp dir, plain HTTP on 127.0.0.1:PORT, and a
 * registries.conf that marks it insecure for the podman service that pulls from it. Images are
 * pushed to it from the offline test image, each version a distinct image (a label differs), and
 * removed locally so that the engine has to pull them.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopProcess, waitFor } from '../../helpers/mcp-servers.js';
import { podman, uncommonPort } from '../../helpers/podman.js';

export interface Registry {
  /** `127.0.0.1:PORT` */
  address: string;
  /** A registries.conf for `startPodmanService({ registriesConf })`. */
  registriesConf: string;
  /** A port on 127.0.0.1 where no registry listens (for pull failures). */
  closedPort: number;
  stop(): Promise<void>;
}

export async function startRegistry(): Promise<Registry> {
  const dir = await mkdtemp(join(tmpdir(), 'mcp-gitops-registry-'));
  const port = await uncommonPort();
  const address = `127.0.0.1:${port}`;
  const config = join(dir, 'config.yml');
  await writeFile(
    config,
    `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, 'data')}\n` +
      `  delete:\n    enabled: true\nhttp:\n  addr: ${address}\n`,
  );
  const registriesConf = join(dir, 'registries.conf');
  await writeFile(registriesConf, `[[registry]]\nlocation = "${address}"\ninsecure = true\n`);
  const child: ChildProcess = spawn('docker-registry', ['serve', config], { stdio: 'ignore' });
  const stop = async () => {
    if (child.pid !== undefined) await stopProcess(child.pid, 3000);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`docker-registry exited with ${child.exitCode}`);
        return fetch(`http://${address}/v2/`).then(
          (r) => r.status === 200,
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

/**
 * Push `versions` of `base` to the registry as `REGISTRY/NAME:VERSION`, each a distinct image (a
 * label says its version), and remove the local tags. Returns the repository `REGISTRY/NAME`.
 */
export async function pushVersions(
  registry: Registry,
  base: string,
  name: string,
  versions: readonly string[],
): Promise<string> {
  const repository = `${registry.address}/${name}`;
  const dir = await mkdtemp(join(tmpdir(), 'mcp-gitops-build-'));
  try {
    for (const version of versions) {
      const file = join(dir, 'Containerfile');
      await writeFile(file, `FROM ${base}\nLABEL io.mcp-gitops.test-version=${version}\n`);
      const ref = `${repository}:${version}`;
      await podman(['build', '-q', '-t', ref, '-f', file, dir], 120_000);
      await podman(['push', '--tls-verify=false', ref], 120_000);
      await podman(['rmi', ref]);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return repository;
}

/** Whether the engine has an image under `ref`. */
export async function imagePresent(ref: string): Promise<boolean> {
  return podman(['image', 'exists', ref]).then(
    () => true,
    () => false,
  );
}

/** Remove every local tag under `repository` (test cleanup). */
export async function removeRepositoryImages(repository: string): Promise<void> {
  const refs = (await podman(['images', '--format', '{{.Repository}}:{{.Tag}}', repository]))
    .split('\n')
    .filter((r) => r.startsWith(repository));
  for (const ref of refs) await podman(['rmi', '-f', ref]).catch(() => undefined);
}
