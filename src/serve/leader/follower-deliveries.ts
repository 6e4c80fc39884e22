/**
 * Webhook deliveries under leader election. The leader (leading and within its renew deadline)
 * handles them as `serve` always did. A follower, after the usual verification, hands them to the leader so none is lost and none is
 * acted on twice:
 * - a push is recorded on the Lease (newest revision + time, 409-safe); the leader reads the
 *   Lease every retry period and reconciles, and a new leader reconciles the newest commit on
 *   takeover anyway — so even a leader dying meanwhile loses nothing;
 * - a pull request is forwarded unchanged (same body, event, delivery id and signature) to the
 *   leader's advertised URL, which verifies it as any delivery; only the leader plans and
 *   comments, and its delivery-id memory drops a second copy. No leader URL known, or the leader
 *   not answering: 503, and the delivery id is forgotten so a redelivery is accepted.
 */
import type { Logger } from '../../log/logger.js';
import type { HandlerAnswer, RawDelivery, WebhookHandlers } from '../webhook-route.js';
import type { LeaderElector } from './leader-elector.js';

export interface FollowerDeliveryOptions {
  elector: Pick<LeaderElector, 'mayAct' | 'request' | 'leaderUrl' | 'currentHolder'>;
  /** What the leader does (the usual handlers). */
  local: WebhookHandlers;
  /** This replica's own advertised URL: never forward to ourselves. */
  advertiseUrl?: string;
  logger: Logger;
  /** How long a forward may take (default 10 s). */
  forwardTimeoutMs?: number;
}

export function leaderAwareHandlers(options: FollowerDeliveryOptions): WebhookHandlers {
  const { elector, local, logger } = options;
  return {
    push: (payload, delivery, raw) => {
      // Not `isLeader`: a leader past its renew deadline (paused, cut off) must not take a delivery
      // it would then be fenced from acting on.
      if (elector.mayAct()) return local.push(payload, delivery, raw);
      return recordForLeader(payload.after);
    },
    pullRequest: (payload, delivery, raw) => {
      if (elector.mayAct()) return local.pullRequest(payload, delivery, raw);
      return forwardToLeader(raw, `#${payload.number}`);
    },
  };

  async function recordForLeader(revision: string): Promise<HandlerAnswer> {
    const sha = revision.slice(0, 12).replace(/[^0-9a-f]/gi, '');
    try {
      await elector.request(revision);
      return {
        status: 202,
        outcome: 'handed-over',
        text: `not the leader: recorded on the Lease, the leader (${shown(elector.currentHolder())}) will reconcile ${sha}`,
      };
    } catch (err) {
      logger.warn({ err: String(err) }, 'could not record a push for the leader');
      return {
        status: 503,
        outcome: 'unavailable',
        text: 'not the leader, and the Lease could not be written: redeliver shortly',
      };
    }
  }

  async function forwardToLeader(raw: RawDelivery, what: string): Promise<HandlerAnswer> {
    const url = elector.leaderUrl();
    const unavailable = (why: string): HandlerAnswer => ({
      status: 503,
      outcome: 'unavailable',
      text: `not the leader, and ${why}: redeliver shortly`,
    });
    if (!url || !/^https?:\/\//i.test(url) || url === options.advertiseUrl)
      return unavailable('no leader URL is known');
    try {
      const res = await fetch(new URL('/hooks/github', url), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-github-event': raw.event,
          'x-github-delivery': raw.delivery,
          'x-hub-signature-256': raw.signature,
        },
        body: new Uint8Array(raw.body),
        signal: AbortSignal.timeout(options.forwardTimeoutMs ?? 10_000),
      });
      await res.arrayBuffer();
      if (res.status >= 200 && res.status < 300) {
        logger.info({ delivery: raw.delivery.slice(0, 100), status: res.status }, 'forwarded to the leader');
        return {
          status: 202,
          outcome: 'handed-over',
          text: `not the leader: forwarded ${what} to the leader (${shown(elector.currentHolder())})`,
        };
      }
      logger.warn({ status: res.status }, 'the leader refused a forwarded delivery');
      return unavailable(`the leader answered ${res.status}`);
    } catch (err) {
      logger.warn({ err: String(err).slice(0, 200) }, 'could not forward a delivery to the leader');
      return unavailable('the leader could not be reached');
    }
  }
}

/** An identity read from the Lease, as safe text: its own characters only, bounded. */
export function shown(identity: string): string {
  const clean = identity.replace(/[^A-Za-z0-9._-]/g, '').slice(0, 100);
  return clean || 'none yet';
}
