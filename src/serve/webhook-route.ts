/**
 * `POST /hooks/github`: the body is read raw (capped: 413), its `X-Hub-Signature-256` verified by
 * @octokit/webhooks against those exact bytes (constant-time; missing or wrong: 401, nothing
 * runs), a delivery id seen before is answered 200 and ignored, then `ping`, `push` and
 * `pull_request` are dispatched. Payloads are never logged.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Webhooks } from '@octokit/webhooks';
import type { Logger } from '../log/logger.js';
import { sendText } from './create-serve-app.js';
import {
  asPullRequest,
  asPush,
  decidePullRequest,
  decidePush,
  type PullRequestPayload,
  type PushPayload,
  type TrackedRepo,
} from './github-events.js';
import { readBody } from './read-body.js';
import type { DeliveryOutcome, Route, ServeObserver } from './types.js';

export interface WebhookHandlers {
  /** A push to the tracked branch: schedule fetch + reconcile. */
  push(payload: PushPayload, delivery: string): void;
  /** A pull request opened/synchronized/reopened: schedule a plan comment. */
  pullRequest(payload: PullRequestPayload, delivery: string): void;
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
}

export function webhookRoute(options: WebhookRouteOptions): Route {
  const { logger } = options;
  // A `log` that drops octokit's messages: on failures it would log the payload and signature.
  const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
  const webhooks = options.secret ? new Webhooks({ secret: options.secret, log: quiet }) : undefined;
  const seen = new Set<string>();
  const remember = options.rememberDeliveries ?? 10_000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const event = headerOf(req, 'x-github-event') ?? 'unknown';
    const delivery = headerOf(req, 'x-github-delivery');
    const answer = (status: number, outcome: DeliveryOutcome, text: string) => {
      sendText(res, status, `${text}\n`);
      logger.info({ event, delivery, outcome, status }, 'webhook delivery');
      try {
        options.observer?.delivery?.(event, outcome);
      } catch (err) {
        logger.warn({ err: String(err) }, 'observer failed');
      }
    };

    const body = await readBody(req, options.bodyLimit);
    if (body === 'too-large') return answer(413, 'too-large', `body over ${options.bodyLimit} bytes`);
    const signature = headerOf(req, 'x-hub-signature-256');
    if (!webhooks || !signature || !(await verify(webhooks, body, signature)))
      return answer(401, 'unauthorized', 'signature missing or wrong');
    if (!delivery || event === 'unknown')
      return answer(400, 'bad-request', 'X-GitHub-Event and X-GitHub-Delivery are required');
    if (seen.has(delivery)) return answer(200, 'duplicate', 'delivery seen before: ignored');
    seen.add(delivery);
    if (seen.size > remember) seen.delete(seen.values().next().value as string);

    let payload: unknown;
    try {
      payload = JSON.parse(body.toString('utf8'));
    } catch {
      return answer(400, 'bad-request', 'body is not JSON');
    }
    if (event === 'ping') return answer(200, 'ping', 'pong');
    const tracked = options.tracked();
    if (event === 'push') {
      const push = asPush(payload);
      if (!push) return answer(400, 'bad-request', 'not a push payload');
      const decision = decidePush(push, tracked, tracked.reportsDir);
      if (!decision.act) return answer(200, 'ignored', `ignored: ${decision.reason}`);
      options.handlers.push(push, delivery);
      return answer(202, 'accepted', `reconcile of ${push.after.slice(0, 12)} scheduled`);
    }
    if (event === 'pull_request') {
      const pr = asPullRequest(payload);
      if (!pr) return answer(400, 'bad-request', 'not a pull_request payload');
      const decision = decidePullRequest(pr, tracked);
      if (!decision.act) return answer(200, 'ignored', `ignored: ${decision.reason}`);
      options.handlers.pullRequest(pr, delivery);
      return answer(202, 'accepted', `plan of #${pr.number} scheduled`);
    }
    return answer(200, 'ignored', `ignored: event ${event} is not handled`);
  }

  return { method: 'POST', path: '/hooks/github', handle };
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
