/**
 * The server's environment file (mode 0600): plain `env` plus resolved `secrets`, one
 * `KEY="json-escaped value"` per line, read by the launcher (so a newline in a value stays a value).
 * Secret values are registered for redaction as they are resolved, before anything else sees them.
 */
import { McpGitopsError } from '../../core/errors.js';
import type { ServerSpec } from '../../core/resources.js';
import type { ProviderContext } from '../types.js';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export async function renderEnvFile(ctx: ProviderContext, server: string, spec: ServerSpec): Promise<string> {
  const vars = new Map<string, string>();
  for (const [name, value] of Object.entries(spec.env ?? {}))
    vars.set(checkName(server, name), String(value));
  for (const binding of spec.secrets ?? []) {
    const value = await ctx.secrets.resolve(binding.ref);
    ctx.redact(value);
    vars.set(checkName(server, binding.name), value);
  }
  const lines = ['# written by mcp-gitops; secrets resolved at apply time, do not edit'];
  for (const name of [...vars.keys()].sort()) lines.push(`${name}=${JSON.stringify(vars.get(name))}`);
  return `${lines.join('\n')}\n`;
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
