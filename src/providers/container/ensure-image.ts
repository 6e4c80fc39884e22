/**
 * The image must be on the engine before a container is touched: use it when present, else pull
 * it. A failed pull is an error naming the image and the engine's reason, so the change fails
 * while the running container (if any) keeps serving.
 */
import { McpGitopsError } from '../../core/errors.js';
import { imageExists, pullImage } from './engine-api.js';
import type { EngineClient } from './engine-client.js';

const PULL_TIMEOUT_MS = 10 * 60_000;

/** Returns how the image was found: `present` or `pulled`. */
export async function ensureImage(client: EngineClient, ref: string): Promise<'present' | 'pulled'> {
  if (await imageExists(client, ref)) return 'present';
  const error = await pullImage(client, ref, PULL_TIMEOUT_MS);
  if (error !== undefined || !(await imageExists(client, ref))) {
    throw new McpGitopsError(
      'ERR_PROVIDER',
      `image ${ref} is not on the container engine and pulling it failed: ${error ?? 'the pull reported success but the image is still missing'}`,
      {
        hint:
          'check the identifier and version and that the engine can reach the registry; mcp-gitops sends no ' +
          'registry credentials, so for a private registry pull the image on the engine host first (login, then pull)',
      },
    );
  }
  return 'pulled';
}
