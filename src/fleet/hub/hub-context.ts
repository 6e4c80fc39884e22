/**
 * What every fleet route shares: the store, the replay memory, the validators, the two rate limits
 * (per client address before anything is read, per machine once a request is authenticated) and
 * the two steps every route starts with, so each route file holds only what it does.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../log/logger.js';
import type { RateLimiter } from '../../serve/rate-limiter.js';
import type { SignedBundle } from '../protocol.js';
import type { MachineRecord } from '../rollout/types.js';
import { type AuthContext, authenticate } from './auth.js';
import { answerRefusal } from './fleet-http.js';
import type { WireValidators } from './wire-schemas.js';

/** Where bundles come from: the machine's signed bundle, or undefined when no fleet target matches it. */
export interface BundleSource {
  bundleFor(machine: MachineRecord): SignedBundle | undefined | Promise<SignedBundle | undefined>;
}

export interface HubContext extends AuthContext {
  logger: Logger;
  validators: WireValidators;
  bundleSource: BundleSource;
  onReport: (machine: MachineRecord) => void;
  clientOf: (req: IncomingMessage) => string;
  addressLimiter: RateLimiter;
  machineLimiter: RateLimiter;
  /** The bundle target names last given to each machine (a report may name only these). */
  given: Map<string, Set<string>>;
}

/** The per-address rate limit, before anything else; false when the request was answered 429. */
export function admitAddress(
  ctx: HubContext,
  req: IncomingMessage,
  res: ServerResponse,
  route: string,
): boolean {
  const wait = ctx.addressLimiter.take(ctx.clientOf(req));
  if (wait === 0) return true;
  ctx.logger.warn({ route, reason: 'rate-limited-address' }, 'fleet request refused');
  answerRefusal(req, res, 'rate-limited', false, wait);
  return false;
}

/**
 * Authenticate a signed request and apply the machine's rate limit; undefined when it was refused
 * (and answered). Nothing about the machine is recorded here: a route records what it accepted.
 */
export async function signedRequest(
  ctx: HubContext,
  req: IncomingMessage,
  res: ServerResponse,
  route: string,
  bodyLimit: number,
): Promise<{ machine: MachineRecord; body: Buffer } | undefined> {
  if (!admitAddress(ctx, req, res, route)) return undefined;
  const auth = await authenticate(req, route, bodyLimit, ctx);
  if (!auth.ok) {
    ctx.logger.warn({ route, reason: auth.reason }, 'fleet request refused');
    answerRefusal(req, res, auth.refusal, auth.bodyRead);
    return undefined;
  }
  const wait = ctx.machineLimiter.take(auth.machine.machineId);
  if (wait !== 0) {
    ctx.logger.warn(
      { route, machineId: auth.machine.machineId, reason: 'rate-limited-machine' },
      'fleet request refused',
    );
    answerRefusal(req, res, 'rate-limited', true, wait);
    return undefined;
  }
  return { machine: auth.machine, body: auth.body };
}

/** Record that the machine was seen now (written with the next deferred flush). */
export function touch(ctx: HubContext, machine: MachineRecord): MachineRecord {
  const seen = { ...machine, lastSeen: ctx.now() };
  ctx.store.put(seen, 'soon');
  return seen;
}
