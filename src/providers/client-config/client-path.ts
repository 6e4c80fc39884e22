/**
 * The file a client's entries go to on a host: for a client that moved or renamed its file
 * (`candidatePaths`), the first candidate that exists there, else the first; otherwise `path()`.
 */
import type { ClientAdapter, PathContext } from '../../clients/types.js';
import type { TargetSpec } from '../../core/resources.js';
import type { Host } from '../../hosts/types.js';

export async function resolveClientPath(
  client: ClientAdapter,
  target: Pick<TargetSpec, 'projectDir'>,
  ctx: PathContext,
  host: Pick<Host, 'exists'>,
): Promise<string> {
  const candidates = client.candidatePaths?.(target, ctx) ?? [];
  for (const file of candidates) if (await host.exists(file)) return file;
  return candidates[0] ?? client.path(target, ctx);
}
