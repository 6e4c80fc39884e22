/**
 * "Spec as applied" for a server page: the server's resolved spec in the config revision its
 * target's report says was applied, checked against the report's spec hash. Resolution is the
 * reconciler's own (loadConfig + resolveDesiredState: secrets stay references, nothing is
 * resolved or run). A revision never changes, so each (revision, environment) is resolved once and
 * kept (the newest few).
 */
import { loadConfig } from '../config/load-config.js';
import type { ServerSpec } from '../core/resources.js';
import type { DesiredTarget } from '../core/state.js';
import { resolveDesiredState } from '../resolve/resolve-desired-state.js';

export type AppliedSpec =
  | { state: 'found'; spec: ServerSpec; specHash: string; revision: string }
  | { state: 'unavailable'; why: string };

const KEEP = 16;

export class SpecReader {
  private readonly cache = new Map<string, Promise<DesiredTarget[] | string>>();

  constructor(private readonly checkout: () => string) {}

  async spec(
    revision: string | undefined,
    environment: string,
    target: string,
    server: string,
  ): Promise<AppliedSpec> {
    if (!revision) return { state: 'unavailable', why: 'no revision was applied yet' };
    const targets = await this.targets(revision, environment);
    if (typeof targets === 'string') return { state: 'unavailable', why: targets };
    const found = targets.find((t) => t.name === target)?.servers.find((s) => s.name === server);
    if (!found)
      return {
        state: 'unavailable',
        why: `revision ${revision.slice(0, 12)} does not place ${server} on ${target}`,
      };
    return { state: 'found', spec: found.spec, specHash: found.specHash, revision };
  }

  private targets(revision: string, environment: string): Promise<DesiredTarget[] | string> {
    const key = `${revision}\u0000${environment}`;
    let hit = this.cache.get(key);
    if (!hit) {
      hit = resolveAt(this.checkout(), revision, environment);
      this.cache.set(key, hit);
      if (this.cache.size > KEEP) this.cache.delete(this.cache.keys().next().value as string);
    }
    return hit;
  }
}

async function resolveAt(
  root: string,
  revision: string,
  environment: string,
): Promise<DesiredTarget[] | string> {
  try {
    const { config } = await loadConfig({ root, source: 'revision', rev: revision });
    const desired = resolveDesiredState(config, { environment });
    return desired.environments.flatMap((e) => e.targets);
  } catch (err) {
    return `the config at ${revision.slice(0, 12)} cannot be read here: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}`;
  }
}
