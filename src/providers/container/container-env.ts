/**
 * The container's environment, `NAME=value` sorted by name: the server's plain `env`, then its
 * `secrets` resolved through the run's resolver. Each secret value is registered for redaction
 * as soon as it is resolved, before anything else sees it; it goes only into the engine's create
 * request, never into labels, the comparable form, logs or reports.
 */
import { McpGitopsError } from '../../core/errors.js';
import type { ServerSpec } from '../../core/resources.js';
import type { ProviderContext } from '../types.js';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export async function containerEnv(
  ctx: ProviderContext,
  server: string,
  spec: ServerSpec,
): Promise<string[]> {
  const vars = new Map<string, string>();
  for (const [name, value] of Object.entries(spec.env ?? {}))
    vars.set(checkName(server, name), String(value));
  for (const binding of spec.secrets ?? []) {
    const value = await ctx.secrets.resolve(binding.ref);
    ctx.redact(value);
    vars.set(checkName(server, binding.name), value);
  }
  return [...vars.keys()].sort().map((name) => `${name}=${vars.get(name)}`);
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

function checkName(server: string, name: string): string {
  if (!ENV_NAME.test(name)) {
    throw new McpGitopsError(
      'ERR_PROVIDER',
      `server "${server}": "${name}" is not a valid environment variable name`,
      {
        hint: 'use letters, digits and underscores, not starting with a digit',
      },
    );
  }
  return name;
}
