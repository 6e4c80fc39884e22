/**
 * `POST /hooks/github`. Everything that can be decided from the headers is decided before a byte
 * of the body is read, and refused with the connection closed: over the client address's rate
 * (429), no secret to verify with or a missing/malformed `X-Hub-Signature-256` (401), missing
 * GitHub headers or a content type other than JSON (400), a declared length over the cap (413),
 * too many bodies or bytes already in flight (503). Only then is the body read raw (capped: 413;
 * silent or slow: 408) and its signature verified by @octokit/webhooks against those exact bytes
 * (constant-time; wrong: 401, nothing runs); a delivery id seen before is answered 200 and
 * ignored, then `ping`, `push` and `pull_request` are dispatched. Payloads are never logged.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Webhooks } from '@octokit/webhooks';
import type { Logger } from '../log/logger.js';
import type { BodyBudget } from './body-budget.js';
import { refuse, sendText } from './create-serve-app.js';
import {
  asPullRequest,
  asPush,
  decidePullRequest,
  decidePush,
  type PullRequestPayload,
  type PushPayload,
  type TrackedRepo,
} from './github-events.js';
import { DEFAULT_LIMITS } from './limits.js';
import type { RateLimiter } from './rate-limiter.js';
import { readBody } from './read-body.js';
import type { DeliveryOutcome, Route, ServeObserver } from './types.js';

/**
 * A handler's own answer to a verified delivery (a follower under leader election: recorded for
 * the leader or forwarded to it); none: the default 202.
 */
export interface HandlerAnswer {
  status: number;
  outcome: DeliveryOutcome;
  text: string;
}

/** The verified delivery as it arrived, for forwarding it unchanged (the signature covers the body). */
export interface RawDelivery {
  body: Buffer;
  event: string;
  delivery: string;
  signature: string;
}

type Handled = undefined | HandlerAnswer | Promise<undefined | HandlerAnswer>;

export interface WebhookHandlers {
  /** A push to the tracked branch: schedule fetch + reconcile. */
  push(payload: PushPayload, delivery: string, raw: RawDelivery): Handled;
  /** A pull request opened/synchronized/reopened: schedule a plan comment. */
  pullRequest(payload: PullRequestPayload, delivery: string, raw: RawDelivery): Handled;
}

export interface WebhookRouteOptions {
  /** Undefined: every delivery is refused (401), since none can be verified. */
  secret: string | undefined;
  tracked: () => TrackedRepo & { reportsDir?: string };
  handlers: WebhookHandlers;
  bodyLimit: number;
  logger: Logger;
  observer?: ServeObserver;
  /** How many delivery ids to remember for replay detection. */
  rememberDeliveries?: number;
  /** The client's address (the socket peer unless a trusted proxy says otherwise). */
  clientOf?: (req: IncomingMessage) => string;
  /** The rate limit key of an address (see sourceKey); default: the address itself. */
  keyOf?: (address: string) => string;
  /** Per-client rate limit; none: unlimited. */
  rateLimiter?: RateLimiter;
  /** Bodies and bytes in flight; none: unlimited. */
  budget?: BodyBudget;
  /** Body timeouts (defaults: DEFAULT_LIMITS). */
  bodyIdleTimeoutMs?: number;
  bodyTimeoutMs?: number;
}

/** The events counted under their own name before they are verified; any other is `unknown`. */
const HANDLED_EVENTS = new Set(['ping', 'push', 'pull_request']);
const SIGNATURE = /^sha256=[0-9a-f]{64}$/i;
/** Longest header value copied into a log line or a metric before the delivery is verified. */
const SHOWN = 100;

export function webhookRoute(options: WebhookRouteOptions): Route {
  const { logger } = options;
  // A `log` that drops octokit's messages: on failures it would log the payload and signature.
  const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
  const webhooks = options.secret ? new Webhooks({ secret: options.secret, log: quiet }) : undefined;
  const seen = new Set<string>();
  const remember = options.rememberDeliveries ?? 10_000;
  const idleMs = options.bodyIdleTimeoutMs ?? DEFAULT_LIMITS.bodyIdleTimeoutMs;
  const deadlineMs = options.bodyTimeoutMs ?? DEFAULT_LIMITS.bodyTimeoutMs;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const claimed = headerOf(req, 'x-github-event');
    const delivery = headerOf(req, 'x-github-delivery');
    const client = options.clientOf?.(req) ?? req.socket.remoteAddress ?? '';
    let verified = false;
    // Before verification the event name is the sender's word: a metric label and a log field
    // take it only from a fixed set, so made-up names cannot grow the registry or the logs.
    const event = () =>
      claimed === undefined
        ? 'unknown'
        : verified || HANDLED_EVENTS.has(claimed)
          ? claimed.slice(0, SHOWN)
          : 'unknown';
    const record = (status: number, outcome: DeliveryOutcome) => {
      const fields = { event: event(), delivery: delivery?.slice(0, SHOWN), client, outcome, status };
      // A flood is counted by the metric; one line per refused request would be a second flood.
      if (outcome === 'rate-limited') logger.debug(fields, 'webhook delivery');
      else logger.info(fields, 'webhook delivery');
      try {
        options.observer?.delivery?.(event(), outcome);
      } catch (err) {
        logger.warn({ err: String(err) }, 'observer failed');
      }
    };
    const answer = (status: number, outcome: DeliveryOutcome, text: string) => {
      sendText(res, status, `${text}\n`);
      record(status, outcome);
    };
    /** Answer and close the connection, reading no (more of the) body. */
    const turnAway = (
      status: number,
      outcome: DeliveryOutcome,
      text: string,
      headers?: Record<string, string>,
    ) => {
      refuse(req, res, status, `${text}\n`, headers);
      record(status, outcome);
    };

    const wait = options.rateLimiter?.take((options.keyOf ?? String)(client)) ?? 0;
    if (wait > 0)
      return turnAway(429, 'rate-limited', 'too many requests from this address', {
        'retry-after': String(wait),
      });
    const signature = headerOf(req, 'x-hub-signature-256');
    if (!webhooks) return turnAway(401, 'refused-early', 'no webhook secret configured: nothing is accepted');
    if (!signature || !SIGNATURE.test(signature))
      return turnAway(
        401,
        'refused-early',
        'X-Hub-Signature-256 missing or malformed (sha256=<64 hex digits>)',
      );
    if (!delivery || !claimed)
      return turnAway(400, 'refused-early', 'X-GitHub-Event and X-GitHub-Delivery are required');
    if (!isJson(headerOf(req, 'content-type')))
      return turnAway(
        400,
        'refused-early',
        "Content-Type must be application/json (the webhook's content type)",
      );
    const lengthHeader = headerOf(req, 'content-length');
    const declared = lengthHeader === undefined ? undefined : Number(lengthHeader);
    if (declared !== undefined && !(Number.isSafeInteger(declared) && declared >= 0))
      return turnAway(400, 'refused-early', 'Content-Length is not a number of bytes');
    if (declared !== undefined && declared > options.bodyLimit)
      return turnAway(413, 'too-large', `body over ${options.bodyLimit} bytes`);
    const release = options.budget ? options.budget.reserve(declared ?? options.bodyLimit) : () => {};
    if (!release)
      return turnAway(503, 'too-many', 'too many deliveries in flight, retry shortly', {
        'retry-after': '1',
      });
    try {
      if (/^100-continue$/i.test(headerOf(req, 'expect') ?? '')) res.writeContinue();
      const body = await readBody(req, options.bodyLimit, { idleMs, deadlineMs });
      if (body === 'too-large') return turnAway(413, 'too-large', `body over ${options.bodyLimit} bytes`);
      if (body === 'idle' || body === 'deadline')
        return turnAway(
          408,
          'timed-out',
          `body not received in time (${body === 'idle' ? 'stalled' : 'too slow'})`,
        );
      if (body === 'aborted') return record(0, 'aborted');
      if (!(await verify(webhooks, body, signature))) return answer(401, 'unauthorized', 'signature wrong');
      verified = true;
      if (seen.has(delivery)) return answer(200, 'duplicate', 'delivery seen before: ignored');
      seen.add(delivery);
      if (seen.size > remember) seen.delete(seen.values().next().value as string);

      let payload: unknown;
      try {
        payload = JSON.parse(body.toString('utf8'));
      } catch {
        return answer(400, 'bad-request', 'body is not JSON');
      }
      if (claimed === 'ping') return answer(200, 'ping', 'pong');
      const tracked = options.tracked();
      const raw: RawDelivery = { body, event: claimed, delivery, signature };
      // A delivery that could not be handed over is forgotten, so its redelivery is not a duplicate.
      const handedOver = (own: HandlerAnswer) => {
        if (own.status >= 500) seen.delete(delivery);
        return answer(own.status, own.outcome, own.text);
      };
      if (claimed === 'push') {
        const push = asPush(payload);
        if (!push) return answer(400, 'bad-request', 'not a push payload');
        const decision = decidePush(push, tracked, tracked.reportsDir);
        if (!decision.act) return answer(200, 'ignored', `ignored: ${decision.reason}`);
        const own = await options.handlers.push(push, delivery, raw);
        if (own) return handedOver(own);
        return answer(202, 'accepted', `reconcile of ${push.after.slice(0, 12)} scheduled`);
      }
      if (claimed === 'pull_request') {
        const pr = asPullRequest(payload);
        if (!pr) return answer(400, 'bad-request', 'not a pull_request payload');
        const decision = decidePullRequest(pr, tracked);
        if (!decision.act) return answer(200, 'ignored', `ignored: ${decision.reason}`);
        const own = await options.handlers.pullRequest(pr, delivery, raw);
        if (own) return handedOver(own);
        return answer(202, 'accepted', `plan of #${pr.number} scheduled`);
      }
      return answer(200, 'ignored', `ignored: event ${event()} is not handled`);
    } finally {
      release();
    }
  }

  return { method: 'POST', path: '/hooks/github', handle };
}

/** `application/json`, with or without parameters (`; charset=utf-8`). */
function isJson(type: string | undefined): boolean {
  return type !== undefined && /^application\/json\s*(;|$)/i.test(type.trim());
}

async function verify(webhooks: Webhooks, body: Buffer, signature: string): Promise<boolean> {
  try {
    return await webhooks.verify(body.toString('utf8'), signature);
  } catch {
    return false;
  }
}

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
