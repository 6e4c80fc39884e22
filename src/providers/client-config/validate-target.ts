/** Pure checks of a client-config target's own settings, as messages for `targets[i]`. */
import { clientIds, getClient, isClientId } from '../../clients/registry.js';
import type { TargetSpec } from '../../core/resources.js';

export function validateClientConfigTarget(target: TargetSpec): string[] {
  const messages: string[] = [];
  const valid = clientIds().join(', ');
  const clients: unknown = target.clients;
  if (!Array.isArray(clients) || clients.length === 0) {
    messages.push(
      `clients: list the MCP clients to write (one or more of ${valid}), or [auto] for every client detected on the host`,
    );
    return messages;
  }
  if (clients.includes('auto')) {
    // `auto` = every client detected on the host at observe time; mixing it with ids is ambiguous.
    if (clients.length > 1)
      messages.push(
        'clients: "auto" stands alone (every client detected on the host); list ids or auto, not both',
      );
    return [...messages, ...otherSettings(target)];
  }
  const seen = new Set<string>();
  clients.forEach((id: unknown, i) => {
    if (typeof id !== 'string' || !isClientId(id))
      messages.push(`clients[${i}]: unknown MCP client ${JSON.stringify(id)} (valid: ${valid})`);
    else if (seen.has(id)) messages.push(`clients[${i}]: "${id}" is listed twice`);
    else seen.add(id);
  });
  const projectOnly = [...seen].filter((id) => !getClient(id).scopes.includes('user'));
  if (projectOnly.length > 0 && !target.projectDir) {
    messages.push(`projectDir: required by ${projectOnly.join(', ')} (project-scoped config files only)`);
  }
  return [...messages, ...otherSettings(target)];
}

function otherSettings(target: TargetSpec): string[] {
  const messages: string[] = [];
  if (target.projectDir !== undefined) {
    const dir: unknown = target.projectDir;
    if (typeof dir !== 'string' || !(dir.startsWith('/') || dir === '~' || dir.startsWith('~/'))) {
      messages.push('projectDir: must be an absolute path or start with ~/');
    }
  }
  if (target.materializeSecrets !== undefined && typeof target.materializeSecrets !== 'boolean') {
    messages.push('materializeSecrets: must be true or false');
  }
  if (target.prefetch !== undefined && typeof target.prefetch !== 'boolean') {
    messages.push('prefetch: must be true or false');
  }
  const timeout: unknown = target.prefetchTimeoutMs;
  if (timeout !== undefined && !(typeof timeout === 'number' && Number.isInteger(timeout) && timeout > 0)) {
    messages.push('prefetchTimeoutMs: must be a whole number of milliseconds above 0');
  }
  return messages;
}
