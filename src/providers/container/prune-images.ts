/**
 * Images do not pile up on a container target: after a change, every image reference this
 * target's record says mcp-gitops pulled is removed unless something may still need it —
 *
 * - the image of the current version of every desired server of the target;
 * - for every server of every target recorded on the engine, the last `keep` distinct images it
 *   ran there besides its desired one (what `rollback` to an earlier tag runs again);
 * - any image a container on the engine uses (running or not, owned or not).
 *
 * Images mcp-gitops did not pull (the user pulled or built them) are never candidates. A removal
 * is `DELETE /images/REF`, never forced: it removes that one tag (the image itself when it was its
 * last), and the engine refuses it while a container uses the image. Each removal comes back as a
 * line for the change's message and is logged.
 */
import type { ProviderContext } from '../types.js';
import type { EngineClient } from './engine-client.js';
import { inspectImage, removeImage } from './engine-images.js';
import { readAllRecords, updateRecord } from './image-record.js';
import { imageRef, sameImage } from './render-container.js';

/** Distinct earlier versions kept per server, besides the desired one. */
export const DEFAULT_KEEP_VERSIONS = 2;

interface ContainerUse {
  Image: string;
  ImageID: string;
}

export async function pruneImages(
  ctx: ProviderContext,
  client: EngineClient,
  keep = DEFAULT_KEEP_VERSIONS,
): Promise<string[]> {
  const environment = ctx.environment.name;
  const target = ctx.target.name;
  const records = await readAllRecords(client);
  const mine = records.get(`${environment}/${target}`)?.record;
  if (!mine || mine.pulled.length === 0) return [];
  const desired = new Map<string, string>();
  for (const server of ctx.target.servers) {
    if (server.spec.package?.registryType === 'oci') desired.set(server.name, imageRef(server.spec.package));
  }
  const needed = [...desired.values()];
  for (const { environment: env, target: tgt, record } of records.values()) {
    const own = env === environment && tgt === target;
    for (const [server, ran] of Object.entries(record.ran)) {
      const current = own ? desired.get(server) : undefined;
      needed.push(...ran.filter((ref) => current === undefined || !sameImage(ref, current)).slice(0, keep));
    }
  }
  const containers = await client.json<ContainerUse[]>({
    method: 'GET',
    path: '/containers/json',
    query: { all: true },
  });
  const removed: string[] = [];
  const gone: string[] = [];
  for (const ref of mine.pulled) {
    if (needed.some((n) => sameImage(n, ref))) continue;
    const image = await inspectImage(client, ref);
    if (!image) {
      gone.push(ref); // removed by someone else: nothing left to track
      continue;
    }
    const lastTag = (image.RepoTags ?? []).length <= 1;
    const inUse = containers.some(
      (c) => sameImage(c.Image, ref) || c.Image === image.Id || (lastTag && c.ImageID === image.Id),
    );
    if (inUse) continue;
    const refused = await removeImage(client, ref);
    if (refused !== undefined) {
      ctx.logger.info({ image: ref, reason: refused }, 'old image kept: the engine refused to remove it');
      continue;
    }
    gone.push(ref);
    removed.push(ref);
    ctx.logger.info(
      { image: ref },
      'removed an image mcp-gitops pulled that no desired, running or recent version uses',
    );
  }
  if (gone.length > 0) {
    await updateRecord(client, environment, target, (record) => ({
      ...record,
      pulled: record.pulled.filter((ref) => !gone.includes(ref)),
    }));
  }
  return removed;
}
