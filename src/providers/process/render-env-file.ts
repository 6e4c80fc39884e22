/**
 * The server's environment file (mode 0600): plain `env` plus resolved `secrets`, one
 * `KEY="json-escaped value"` per line, read by the launcher (so a newline in a value stays a value).
 * Secret values are registered for redaction as they are resolved, before anything else sees them.
 */
import type { ServerSpec } from '../../core/resources.js';
import { resolveServerEnv } from '../server-env.js';
import type { ProviderContext } from '../types.js';

export async function renderEnvFile(ctx: ProviderContext, server: string, spec: ServerSpec): Promise<string> {
  const lines = ['# written by mcp-gitops; secrets resolved at apply time, do not edit'];
  for (const [name, value] of await resolveServerEnv(ctx, server, spec)) {
    lines.push(`${name}=${JSON.stringify(value)}`);
  }
  return `${lines.join('\n')}\n`;
}
