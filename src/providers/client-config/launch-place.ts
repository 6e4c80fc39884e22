/**
 * Where a stdio server that a package runner launches (npx, uvx, docker) starts: in the target's
 * home, with HOME set to it. The prefetch (apply) and the verification endpoint both use this, so
 * the package cache one fills is the cache the other reads (npx keeps packages under
 * `$HOME/.npm/_npx`, uvx under `$HOME/.cache/uv`), and the reconciler's own working directory
 * (whose node_modules would let npx skip its cache) plays no part.
 */
import { isHttp } from '../../clients/build-entry.js';
import type { ServerSpec } from '../../core/resources.js';
import type { Host } from '../../hosts/types.js';

export function launchesPackage(spec: ServerSpec): boolean {
  return spec.package !== undefined && !isHttp(spec);
}

export interface LaunchPlace {
  home: string;
  /** The working directory: the home. */
  cwd: string;
  /** HOME, then the server's plain environment (which may set HOME itself). */
  env: Record<string, string>;
}

export async function launchPlace(
  host: Host,
  plainEnv: Record<string, string> | undefined,
): Promise<LaunchPlace> {
  const home = await host.home();
  return { home, cwd: home, env: { HOME: home, ...(plainEnv ?? {}) } };
}
