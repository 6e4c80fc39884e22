/**
 * Deaths the steady loop learns of from events instead of the next interval: one engine events
 * watcher per `container` target of the desired state (src/providers/container/watch-deaths.ts),
 * kept across runs and re-opened only when a target's settings change. A death kicks a steady
 * pass at once (the caller's `onDeath`), which repairs or reports it by `sync.drift`. Process
 * servers need no watcher here: their launcher restarts them itself within a second.
 */

import type { DesiredState } from '../core/state.js';
import { closeSessions, openSession, type TargetSession } from '../engine/target-session.js';
import type { EngineDeps } from '../engine/types.js';
import { canonicalJson } from '../plan/canonical.js';
import type { DeathWatch } from '../providers/container/watch-deaths.js';

export interface DeathNotice {
  environment: string;
  target: string;
  server: string;
  reason: string;
}

interface Watched {
  settings: string;
  session: TargetSession;
  watch: DeathWatch;
}

export class DeathWatchers {
  private readonly watched = new Map<string, Watched>();

  constructor(
    private readonly deps: EngineDeps,
    private readonly onDeath: (notice: DeathNotice) => void,
  ) {}

  /** Watch exactly the container targets of `desired` (called after each run). */
  async update(desired: DesiredState): Promise<void> {
    const wanted = new Map<
      string,
      {
        settings: string;
        env: DesiredState['environments'][number];
        target: DesiredState['environments'][number]['targets'][number];
      }
    >();
    for (const env of desired.environments)
      for (const target of env.targets)
        if (target.provider === 'container')
          wanted.set(`${env.name}/${target.name}`, {
            settings: canonicalJson({ host: target.host, settings: target.settings }),
            env,
            target,
          });
    for (const [key, w] of this.watched) {
      if (wanted.get(key)?.settings === w.settings) continue;
      await this.stop(key);
    }
    const { watchContainerDeaths } = await import('../providers/container/watch-deaths.js');
    for (const [key, want] of wanted) {
      if (this.watched.has(key)) continue;
      const session = openSession(want.env, want.target, this.deps);
      if (!session.ctx) continue;
      const watch = watchContainerDeaths(
        session.ctx,
        (server, reason) =>
          this.onDeath({ environment: want.env.name, target: want.target.name, server, reason }),
        {
          onError: (reason) =>
            this.deps.logger.debug({ target: key, reason }, 'container events: reconnecting'),
        },
      );
      this.watched.set(key, { settings: want.settings, session, watch });
    }
  }

  async close(): Promise<void> {
    for (const key of [...this.watched.keys()]) await this.stop(key);
  }

  private async stop(key: string): Promise<void> {
    const w = this.watched.get(key);
    if (!w) return;
    this.watched.delete(key);
    w.watch.close();
    await closeSessions([w.session]);
  }
}
