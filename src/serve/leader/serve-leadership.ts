/**
 * `serve --leader-elect` assembled around the jobs: the elector's events drive them (taking over
 * reconciles the newest commit at once; a push recorded by a follower starts a deploy), webhook
 * deliveries go through leaderAwareHandlers, and the role is exposed for `/readyz`, the status
 * page and `/metrics`. The fence itself (`elector.mayAct`) is ServeJobs' gate.
 */
import type { Logger } from '../../log/logger.js';
import type { ServeJobs } from '../serve-jobs.js';
import type { WebhookHandlers } from '../webhook-route.js';
import { leaderAwareHandlers, shown } from './follower-deliveries.js';
import type { LeaderElector } from './leader-elector.js';
import type { LeaderMetrics } from './leader-metrics.js';

export interface LeaderSettings {
  elector: LeaderElector;
  /** This replica's URL for forwarded deliveries, as advertised on the Lease. */
  advertiseUrl?: string;
  metrics?: LeaderMetrics;
  /** `--shard-selector`, canonical, for the status page. */
  shard?: string;
}

/** What the status page shows. */
export interface LeadershipStatus {
  role: 'leader' | 'follower';
  identity: string;
  /** The holder as last read, made safe to show (`none yet` when none). */
  leader: string;
  lease: string;
  shard?: string;
}

export interface Leadership {
  handlers: WebhookHandlers;
  /** `/readyz`: a follower is ready once it has read the Lease (it takes webhooks); a leader once synced. */
  ready(synced: boolean): boolean;
  status(): LeadershipStatus;
  stop(): Promise<void>;
}

export function startLeadership(
  settings: LeaderSettings,
  jobs: ServeJobs,
  local: WebhookHandlers,
  logger: Logger,
): Leadership {
  const { elector, metrics } = settings;
  elector.start({
    startedLeading: () => {
      metrics?.leading(true);
      // Whatever was pushed while nobody led (or recorded for the old leader) is in the newest commit.
      void jobs.deploy('startup');
    },
    stoppedLeading: () => metrics?.leading(false),
    requested: () => void jobs.deploy('push'),
    // The holder is whatever the Lease says: bounded and cleaned before it becomes a label.
    holderChanged: (holder) => metrics?.holder(holder === '' ? '' : shown(holder)),
  });
  return {
    handlers: leaderAwareHandlers({
      elector,
      local,
      logger,
      ...(settings.advertiseUrl ? { advertiseUrl: settings.advertiseUrl } : {}),
    }),
    ready: (synced) => (elector.isLeader() ? synced : elector.observed),
    status: () => ({
      role: elector.isLeader() ? 'leader' : 'follower',
      identity: elector.identity,
      leader: shown(elector.currentHolder()),
      lease: elector.lease,
      ...(settings.shard ? { shard: settings.shard } : {}),
    }),
    async stop() {
      await elector.stop();
      metrics?.leading(false);
    },
  };
}
