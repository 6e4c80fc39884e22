/**
 * Install is not start-up: the image must be on the engine before a container is touched, and
 * fetching it is its own step of `apply`, with its own generous timeout and progress lines in the
 * log, finished before any MCP verification timer starts. An image already there is used as it is
 * (it may be the user's own: it is not recorded as pulled, so it is never removed). An image
 * mcp-gitops pulls is recorded on the engine as pulled by it (image-record.ts), so housekeeping
 * may remove it once nothing needs it. A failed pull is "could not pull IMAGE: <engine's reason>",
 * so the change fails while the running container (if any) keeps serving.
 */
import { McpGitopsError } from '../../core/errors.js';
import type { Logger } from '../../log/logger.js';
import type { EngineClient } from './engine-client.js';
import { imageExists, type PullProgress, pullImage } from './engine-images.js';
import { updateRecord, withPulled } from './image-record.js';

export const PULL_TIMEOUT_MS = 15 * 60_000;
/** At most one progress line per this interval while a pull runs. */
const PROGRESS_EVERY_MS = 5000;

export interface ImageOwner {
  environment: string;
  target: string;
  logger: Logger;
  /** Progress lines for people about the server the image is for. */
  progress?: (text: string, ongoing?: string) => void;
}

/** Returns how the image was found: `present` or `pulled`. */
export async function ensureImage(
  client: EngineClient,
  ref: string,
  owner: ImageOwner,
  timeoutMs = PULL_TIMEOUT_MS,
): Promise<'present' | 'pulled'> {
  if (await imageExists(client, ref)) return 'present';
  const started = Date.now();
  owner.logger.info({ image: ref }, `pulling image ${ref}`);
  owner.progress?.(`pulling image ${ref}`, 'pulling');
  const progress = progressReporter(ref, owner, started);
  const error = await pullImage(client, ref, { timeoutMs, onProgress: progress });
  if (error !== undefined || !(await imageExists(client, ref))) {
    owner.progress?.(`could not pull image ${ref}`);
    throw new McpGitopsError(
      'ERR_PROVIDER',
      `could not pull ${ref}: ${error ?? 'the engine reported success but does not have the image'}`,
      {
        hint:
          'check the identifier and version and that the engine can reach the registry; mcp-gitops sends no ' +
          'registry credentials, so for a private registry pull the image on the engine host first (login, then pull)',
      },
    );
  }
  await updateRecord(client, owner.environment, owner.target, (record) => withPulled(record, ref)).catch(
    (err: unknown) =>
      owner.logger.warn({ image: ref, reason: (err as Error).message }, 'could not record the pulled image'),
  );
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  owner.logger.info({ image: ref, seconds: Number(seconds) }, `pulled image ${ref} in ${seconds} s`);
  owner.progress?.(`pulled image ${ref} (${seconds} s)`);
  return 'pulled';
}

/** Logs and shows the pull's progress: layers done of those seen, bytes of the layers downloading. */
function progressReporter(ref: string, owner: ImageOwner, started: number): (event: PullProgress) => void {
  const layers = new Map<string, { current: number; total: number; done: boolean }>();
  let last = started;
  return (event) => {
    if (event.id && event.status) {
      const layer = layers.get(event.id) ?? { current: 0, total: 0, done: false };
      if (event.progressDetail?.total) {
        layer.current = event.progressDetail.current ?? layer.current;
        layer.total = event.progressDetail.total;
      }
      if (/complete|already exists/i.test(event.status)) layer.done = true;
      layers.set(event.id, layer);
    }
    const now = Date.now();
    if (now - last < PROGRESS_EVERY_MS) return;
    last = now;
    const done = [...layers.values()].filter((l) => l.done).length;
    const mb = (n: number) => (n / 1e6).toFixed(1);
    const current = [...layers.values()].reduce((sum, l) => sum + l.current, 0);
    const total = [...layers.values()].reduce((sum, l) => sum + l.total, 0);
    const seconds = Math.round((now - started) / 1000);
    const status = `${done}/${layers.size} layers${total ? `, ${mb(current)} of ${mb(total)} MB` : ''}`;
    owner.logger.info(
      { image: ref, layersDone: done, layers: layers.size },
      `pulling image ${ref}: ${status} after ${seconds} s`,
    );
    owner.progress?.(`pulling image ${ref}: ${status}`, 'pulling');
  };
}
