/**
 * The environment a provider gives a server process: its plain `env`, then its `secrets`
 * resolved through the run's resolver, sorted by name. Each secret value is registered for
 * redaction as soon as it is resolved, before anything else sees it.
 */
import { McpGitopsError } from '../core/errors.js';
import type { ServerSpec } from '../core/resources.js';
import type { ProviderContext } from './types.js';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function checkName(server: string, name: string): string {
  if (!ENV_NAME.test(name)) {
    throw new McpGitopsError(
      'ERR_PROVIDER',
      `server "${server}": "${name}" is not a valid environment variable name`,
      { hint: 'use letters, digits and underscores, not starting with a digit' },
    );
  }
  return name;
}

/** `[name, value]` pairs sorted by name; a later secret replaces a plain value of the same name. */
export async function resolveServerEnv(
  ctx: ProviderContext,
  server: string,
  spec: ServerSpec,
): Promise<[string, string][]> {
  const vars = new Map<string, string>();
  for (const [name, value] of Object.entries(spec.env ?? {}))
    vars.set(checkName(server, name), String(value));
  for (const binding of spec.secrets ?? []) {
    const value = await ctx.secrets.resolve(binding.ref);
    ctx.redact(value);
    vars.set(checkName(server, binding.name), value);
  }
  return [...vars.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
