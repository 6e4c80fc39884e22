/**
 * Is an MCP client installed on a host? Each adapter may say which files or folders prove it
 * (`detect`); otherwise the evidence is derived from its user-scope file: the first folder under
 * the home directory that belongs to the client — shared parents (`.config`, `.local/share`,
 * `Library/Application Support`, `AppData/Roaming|Local`, `.aws`, `.codeium`, `.gemini`) are
 * stepped into, a VS Code extension's evidence is its `globalStorage/<extension>` folder, and a
 * file directly in home (`~/.claude.json`) is itself the evidence.
 */
import * as path from 'node:path';
import type { Host } from '../hosts/types.js';
import { clientIds, getClient } from './registry.js';
import type { ClientAdapter, ClientId, PathContext } from './types.js';

/** Folders under home that hold several programs' files: the client's own folder is one deeper. */
const SHARED = new Set([
  '.config',
  '.local',
  'share',
  'Library',
  'Application Support',
  'AppData',
  'Roaming',
  'Local',
  '.aws',
  '.codeium',
  '.gemini',
]);

export function defaultDetectPaths(client: ClientAdapter, ctx: PathContext): string[] {
  let file: string;
  try {
    file = client.path({}, ctx);
  } catch {
    return []; // a project-only client without its own `detect` has no user-scope evidence
  }
  const rel = path.relative(ctx.home, file);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return [file];
  const parts = rel.split(path.sep);
  const storage = parts.indexOf('globalStorage');
  if (storage >= 0 && storage + 1 < parts.length - 1)
    return [path.join(ctx.home, ...parts.slice(0, storage + 2))];
  let i = 0;
  while (i < parts.length - 1 && SHARED.has(parts[i]!)) i++;
  return [path.join(ctx.home, ...parts.slice(0, i + 1))];
}

export function detectPaths(client: ClientAdapter, ctx: PathContext): string[] {
  return client.detect?.(ctx) ?? defaultDetectPaths(client, ctx);
}

export interface Detection {
  id: ClientId;
  displayName: string;
  installed: boolean;
  /** The path that exists (installed), or every path looked for (not installed). */
  evidence: string[];
}

/** Every registered client, installed or not on `host`, each lookup bounded by `timeoutMs`. */
export async function detectClients(
  host: Pick<Host, 'exists' | 'home' | 'kind'>,
  options: { platform?: NodeJS.Platform; timeoutMs?: number } = {},
): Promise<Detection[]> {
  const ctx: PathContext = {
    home: await host.home(),
    platform: options.platform ?? (host.kind === 'local' ? process.platform : undefined),
  };
  const timeoutMs = options.timeoutMs ?? 15_000;
  const lookup = async (): Promise<Detection[]> => {
    const out: Detection[] = [];
    for (const id of clientIds()) {
      const client = getClient(id);
      const paths = detectPaths(client, ctx);
      let found: string | undefined;
      for (const p of paths) {
        if (await host.exists(p)) {
          found = p;
          break;
        }
      }
      out.push({
        id,
        displayName: client.displayName,
        installed: found !== undefined,
        evidence: found ? [found] : paths,
      });
    }
    return out;
  };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`detecting MCP clients took over ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([lookup(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The ids of the clients installed on `host`. */
export async function detectedClientIds(
  host: Pick<Host, 'exists' | 'home' | 'kind'>,
  options?: { platform?: NodeJS.Platform; timeoutMs?: number },
): Promise<ClientId[]> {
  return (await detectClients(host, options)).filter((d) => d.installed).map((d) => d.id);
}
