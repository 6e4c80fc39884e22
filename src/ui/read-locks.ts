/**
 * The committed tool lock of a server version (`tool-locks/<server>/<version>.yaml` in the
 * checkout), read from the work tree and kept until the file's mtime or size changes. The lock is
 * where a surface's reviewed text (descriptions, schemas) lives; reports keep fingerprints only.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { lockPath } from '../surface/lock/index.js';
import type { ToolSurface } from '../surface/types.js';

export type LockRead =
  | { state: 'found'; file: string; surface: ToolSurface }
  | { state: 'missing'; file: string }
  | { state: 'unreadable'; file: string; why: string };

interface Cached {
  mtimeMs: number;
  size: number;
  read: LockRead;
}

export class LockReader {
  private readonly cache = new Map<string, Cached>();

  constructor(private readonly checkout: () => string) {}

  read(server: string, version: string): LockRead {
    const file = lockPath(server, version);
    // A server or version that would leave tool-locks/ is no lock at all.
    if (
      file.split('/').some((s) => s === '..' || s === '.' || s === '') ||
      server.includes('/') ||
      version.includes('/')
    )
      return { state: 'missing', file };
    const full = path.join(this.checkout(), file);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(full);
    } catch {
      return { state: 'missing', file };
    }
    const hit = this.cache.get(full);
    if (hit && hit.mtimeMs === stat.mtimeMs && hit.size === stat.size) return hit.read;
    const read = parseLock(file, full);
    this.cache.set(full, { mtimeMs: stat.mtimeMs, size: stat.size, read });
    return read;
  }
}

function parseLock(file: string, full: string): LockRead {
  try {
    const doc = parse(fs.readFileSync(full, 'utf8')) as { kind?: unknown; spec?: { surface?: unknown } };
    const s = doc?.spec?.surface as Partial<ToolSurface> | undefined;
    if (doc?.kind !== 'ToolLock' || typeof s !== 'object' || s === null)
      return { state: 'unreadable', file, why: 'not a ToolLock with a surface' };
    return {
      state: 'found',
      file,
      surface: {
        fingerprint: typeof s.fingerprint === 'string' ? s.fingerprint : '',
        tools: Array.isArray(s.tools) ? s.tools.filter((t) => typeof t?.name === 'string') : [],
        ...(typeof s.instructions === 'string' ? { instructions: s.instructions } : {}),
        prompts: Array.isArray(s.prompts) ? s.prompts : [],
        resourceTemplates: Array.isArray(s.resourceTemplates) ? s.resourceTemplates : [],
      },
    };
  } catch (err) {
    return {
      state: 'unreadable',
      file,
      why: err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err),
    };
  }
}
