/**
 * The scratch place a new server spec is started in, never the target itself: a fresh temp
 * directory as working directory, HOME and TMPDIR (`~/…` in the spec lands there; npx fills its
 * cache there), on this machine. Only stdio servers are started: a streamable-http server is told
 * the port its spec names through its rendered settings and may bind every interface, so moving it
 * to a free loopback port cannot be done safely; an OCI image runs as a container the engine owns,
 * which killing the client does not stop. Those are skipped with the reason.
 *
 * Secret references are NOT resolved: the new spec is unreviewed code (that is why its surface is
 * being shown), and handing it credentials before review would let a hostile version use them. A
 * plan must also work where no secret is readable (CI). Its secret variables are simply unset.
 *
 * Every process started here carries a marker variable; cleanup stops every process that has it
 * (npx's children too, whatever their process group), then removes the directory.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { isHttp, stdioLaunch } from '../../clients/build-entry.js';
import type { DesiredServer } from '../../core/state.js';
import { expandServerHome } from '../../providers/client-config/expand-home.js';
import type { Endpoint } from '../../providers/types.js';
import { SCRATCH_MARKER, stopMarked } from './stop-marked.js';

export interface ScratchPlace {
  dir: string;
  endpoint: Extract<Endpoint, { kind: 'stdio' }>;
  /** Stops every process started for it and removes its directory. Never throws. */
  cleanup(): Promise<void>;
}

/** Why this spec is not started in a scratch place, or undefined when it can be. */
export function scratchSkipReason(desired: DesiredServer): string | undefined {
  const spec = desired.spec;
  if (spec.remote) return 'a remote server runs elsewhere: nothing is started for it before apply';
  if (isHttp(spec))
    return 'a streamable-http server listens on the port its spec names (and may bind every interface), so it cannot be moved to a scratch port safely; it is verified after apply';
  if (spec.package?.registryType === 'oci')
    return 'an OCI image runs as a container its engine owns, which stopping the client does not stop: it is not started before apply';
  if (!stdioLaunch(spec)) return 'it cannot be launched over stdio';
  return undefined;
}

/** A scratch place for a spec that `scratchSkipReason` accepts. */
export async function openScratchPlace(desired: DesiredServer, parent = tmpdir()): Promise<ScratchPlace> {
  const dir = await fs.mkdtemp(path.join(parent, 'mcp-gitops-verify-new-'));
  const home = path.join(dir, 'home');
  const tmp = path.join(dir, 'tmp');
  await fs.mkdir(home, { recursive: true });
  await fs.mkdir(tmp, { recursive: true });
  const marker = randomUUID();
  const spec = expandServerHome(desired, home).spec;
  const launch = stdioLaunch(spec)!;
  const env: Record<string, string> = {
    ...(spec.env ?? {}),
    // After the spec's own variables: a spec that sets HOME must not lead the scratch server home.
    HOME: home,
    TMPDIR: tmp,
    [SCRATCH_MARKER]: marker,
  };
  return {
    dir,
    endpoint: { kind: 'stdio', command: launch.command, args: launch.args, env, cwd: home },
    async cleanup() {
      await stopMarked(marker).catch(() => undefined);
      await fs.rm(dir, { recursive: true, force: true }).catch(() => undefined);
    },
  };
}
