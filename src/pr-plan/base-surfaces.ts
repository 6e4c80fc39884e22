/**
 * The base branch's approved tool surfaces, handed to a pull request's sandboxed planner: each
 * server's version on the base and the lock committed for it. A pull request's new server version
 * is shown against these — never against a lock the pull request itself adds, which would let it
 * approve its own surface. Read on the trusted side from serve's checkout of the base.
 */
import type { DesiredServer, DesiredState } from '../core/state.js';
import { type FoundLock, lockVersion } from '../surface/lock/index.js';
import type { ToolSurface } from '../surface/types.js';

export interface BaseLock {
  server: string;
  version: string;
  file: string;
  surface: ToolSurface;
}

export interface BaseSurfaces {
  /** Each server's lock version on the base (the first target's, when targets differ). */
  versions: Record<string, string>;
  locks: BaseLock[];
}

export function baseSurfaces(
  desired: DesiredState,
  toolLock: (server: DesiredServer) => FoundLock | undefined,
): BaseSurfaces {
  const versions: Record<string, string> = {};
  const locks = new Map<string, BaseLock>();
  for (const environment of desired.environments)
    for (const target of environment.targets)
      for (const server of target.servers) {
        const version = lockVersion(server.spec);
        versions[server.name] ??= version;
        const key = `${server.name}\u0000${version}`;
        if (locks.has(key)) continue;
        const lock = toolLock(server);
        if (lock) locks.set(key, { server: server.name, version, file: lock.file, surface: lock.surface });
      }
  return { versions, locks: [...locks.values()] };
}

/** A lookup over the base's locks, for verifyNew. */
export function baseLockLookup(base: BaseSurfaces) {
  return (server: string, version: string): FoundLock | undefined => {
    const lock = base.locks.find((l) => l.server === server && l.version === version);
    return lock ? { file: lock.file, surface: lock.surface } : undefined;
  };
}
