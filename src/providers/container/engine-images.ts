/**
 * The Docker Engine API's image calls: whether an image is there, pulling it (a stream of JSON
 * progress lines), what tags and id it has, and removing one tag of it.
 */
import type { EngineClient } from './engine-client.js';
import { engineError } from './engine-client.js';

export interface ImageDetails {
  Id: string;
  RepoTags: string[] | null;
}

/** An image by reference or id, or undefined when the engine does not have it. */
export async function inspectImage(client: EngineClient, ref: string): Promise<ImageDetails | undefined> {
  const req = { method: 'GET' as const, path: `/images/${ref}/json` };
  const res = await client.send(req);
  if (res.status === 404) return undefined;
  if (res.status !== 200) throw engineError(req, res);
  return JSON.parse(res.body.toString('utf8')) as ImageDetails;
}

export async function imageExists(client: EngineClient, ref: string): Promise<boolean> {
  return (await inspectImage(client, ref)) !== undefined;
}

/** One line of the engine's pull progress. */
export interface PullProgress {
  status?: string;
  id?: string;
  progressDetail?: { current?: number; total?: number };
  error?: unknown;
  errorDetail?: { message?: unknown };
}

/**
 * Pull an image. The engine streams JSON progress lines (each passed to `onProgress`); a failure
 * shows either as a non-200 status or as an `error` line. Returns the engine's error text, or
 * undefined on success. The whole pull is bounded by `timeoutMs`.
 */
export async function pullImage(
  client: EngineClient,
  ref: string,
  options: { timeoutMs: number; onProgress?: (event: PullProgress) => void },
): Promise<string | undefined> {
  let error: string | undefined;
  const req = {
    method: 'POST' as const,
    path: '/images/create',
    query: { fromImage: ref },
    timeoutMs: 60_000,
  };
  let stream: Awaited<ReturnType<EngineClient['stream']>>;
  try {
    stream = await client.stream(req, (line) => {
      let event: PullProgress;
      try {
        event = JSON.parse(line) as PullProgress;
      } catch {
        return; // progress output that is not JSON
      }
      const message = event.errorDetail?.message ?? event.error;
      if (typeof message === 'string' && message) error ??= message;
      options.onProgress?.(event);
    });
  } catch (err) {
    return (err as Error).message.replace(/^container engine: POST \/images\/create → \d+: /, '');
  }
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<string>((resolve) => {
    timer = setTimeout(() => {
      stream.close();
      resolve(`the pull did not finish within ${Math.round(options.timeoutMs / 1000)} s`);
    }, options.timeoutMs);
  });
  const ended = await Promise.race([stream.ended, timedOut]);
  clearTimeout(timer);
  if (error !== undefined) return error;
  if (ended !== undefined && !/ended POST/.test(ended)) return ended;
  return undefined;
}

/**
 * Remove one reference of an image (`DELETE /images/REF`, never forced): the image itself goes
 * when it was its last tag. Returns undefined when removed or already gone, else the engine's
 * reason (e.g. a container uses it).
 */
export async function removeImage(client: EngineClient, ref: string): Promise<string | undefined> {
  const req = { method: 'DELETE' as const, path: `/images/${ref}` };
  const res = await client.send(req);
  if (res.status === 200 || res.status === 404) return undefined;
  return engineError(req, res).message;
}
