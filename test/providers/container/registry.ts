/**
 * A real OCI registry on loopback for pull tests (TEST-INFRA.md: Debian `docker-registry`, the
 * CNCF distribution), started by test/helpers/oci-registry.ts: its own config, storage in a temp
 * dir, plain HTTP on 127.0.0.1:PORT, and a registries.conf that marks it insecure for the podman
 * service that pulls from it. Images are pushed to it from the offline test image, each version a
 * distinct image (a label differs), and removed locally so that the engine has to pull them.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Registry, startOciRegistry } from '../../helpers/oci-registry.js';
import { podman } from '../../helpers/podman.js';

export type { Registry };

/** An anonymous registry (test/helpers/oci-registry.ts starts it; it can also require basic auth). */
export function startRegistry(): Promise<Registry> {
  return startOciRegistry();
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
