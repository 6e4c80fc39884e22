/**
 * What `serve`'s HTTP endpoint will spend on strangers: connections, time per phase of a request,
 * webhook bodies held at once, and webhook requests per client address. The defaults are meant for
 * the endpoint facing the internet directly; docs/serve-behind-a-proxy.md says when to change them.
 */

export interface ServeLimits {
  /** Connections open at once (`server.maxConnections`); more are closed as they are accepted. */
  maxConnections: number;
  /** Webhook bodies being read or verified at once; one more is answered 503 without reading it. */
  maxBodiesInFlight: number;
  /**
   * Bytes those bodies may take together, counted by their declared `Content-Length` (the whole
   * body cap for a chunked one) before a byte is read; over it: 503 without reading.
   */
  maxBytesInFlight: number;
  /**
   * Webhook requests per second per client address, sustained (token bucket); 0: no limit. Only
   * `POST /hooks/github` is limited: `/healthz` and `/readyz` answer a constant from memory.
   */
  ratePerSecond: number;
  /** Webhook requests a client address may send at once before the rate applies. */
  rateBurst: number;
  /** Client addresses the rate limiter remembers; the least recently seen is forgotten first. */
  rateSources: number;
  /** Time to receive a request's headers (slow-loris): 408 and the connection is closed. */
  headersTimeoutMs: number;
  /** Longest silence while a webhook body is read: 408 and the connection is closed. */
  bodyIdleTimeoutMs: number;
  /** Time to read a whole webhook body, however steadily it trickles in: 408, closed. */
  bodyTimeoutMs: number;
  /** How long an idle kept-alive connection stays open between requests. */
  keepAliveTimeoutMs: number;
  /** Headers kept per request (Node drops the rest). */
  maxHeadersCount: number;
  /** Bytes of request line and headers together; over it Node answers 431. */
  maxHeaderSize: number;
  /** Requests served on one connection before it is closed (`Connection: close` on the last). */
  maxRequestsPerSocket: number;
}

const MiB = 1024 * 1024;

export const DEFAULT_LIMITS: Readonly<ServeLimits> = {
  // Well under the usual file descriptor limits; each idle connection costs a few KiB.
  maxConnections: 1024,
  // GitHub sends one delivery per event; 64 at once is a burst of pushes and PRs for one repo.
  maxBodiesInFlight: 64,
  // 16 bodies at the 1 MiB body cap, or all 64 at GitHub's usual few KiB.
  maxBytesInFlight: 16 * MiB,
  // A busy repository's pushes and PR updates, with room for a scripted burst of 100.
  ratePerSecond: 10,
  rateBurst: 100,
  rateSources: 10_000,
  headersTimeoutMs: 10_000,
  bodyIdleTimeoutMs: 10_000,
  bodyTimeoutMs: 30_000,
  // Node's own default; behind a load balancer set it above the balancer's idle timeout.
  keepAliveTimeoutMs: 5_000,
  // GitHub sends about 15 headers; proxies add a few.
  maxHeadersCount: 100,
  maxHeaderSize: 16 * 1024,
  maxRequestsPerSocket: 1_000,
};

export function resolveLimits(partial: Partial<ServeLimits> | undefined): ServeLimits {
  const limits = { ...DEFAULT_LIMITS };
  for (const [key, value] of Object.entries(partial ?? {}) as [keyof ServeLimits, number | undefined][])
    if (value !== undefined) limits[key] = value;
  return limits;
}
