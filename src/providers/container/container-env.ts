/**
 * The container's environment, `NAME=value` sorted by name: the server's plain `env`, then its
 * `secrets` resolved through the run's resolver. Each secret value is registered for redaction
 * as soon as it is resolved, before anything else sees it; it goes only into the engine's create
 * request, never into labels, the comparable form, logs or reports.
 */
import type { ServerSpec } from '../../core/resources.js';
import { resolveServerEnv } from '../server-env.js';
import type { ProviderContext } from '../types.js';

export async function containerEnv(
  ctx: ProviderContext,
  server: string,
  spec: ServerSpec,
): Promise<string[]> {
  return (await resolveServerEnv(ctx, server, spec)).map(([name, value]) => `${name}=${value}`);
}

/** Plain values of the variables named in `names`, from a container's `NAME=value` list. */
export function envValues(list: readonly string[], names: Iterable<string>): Record<string, string> {
  const wanted = new Set(names);
  const out: Record<string, string> = {};
  for (const entry of list) {
    const eq = entry.indexOf('=');
    const name = eq < 0 ? entry : entry.slice(0, eq);
    if (wanted.has(name)) out[name] = eq < 0 ? '' : entry.slice(eq + 1);
  }
  return out;
}
