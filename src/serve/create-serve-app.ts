/**
 * The HTTP server of `serve`: a plain `node:http` server dispatching on method + exact path to a
 * list of routes that callers can extend (`addRoute`) before or after `listen`. The connection
 * limits (count, header size and time, keep-alive, requests per connection) are set here for every
 * route; body limits belong to the routes that read bodies.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../log/logger.js';
import { resolveLimits, type ServeLimits } from './limits.js';
import type { Route } from './types.js';

export interface ServeAppOptions {
  routes?: readonly Route[];
  logger: Logger;
  /** Defaults: DEFAULT_LIMITS. */
  limits?: Partial<ServeLimits>;
}

export interface ServeApp {
  readonly server: http.Server;
  /** Add (or replace) the route for `route.method` + `route.path`. */
  addRoute(route: Route): void;
  /** Listen on host:port (port 0: any free port); resolves to the bound address. */
  listen(host: string, port: number): Promise<{ host: string; port: number; url: string }>;
  /** Stop accepting connections and close idle ones; resolves when the server is closed. */
  close(): Promise<void>;
}

export function createServeApp(options: ServeAppOptions): ServeApp {
  const routes = new Map<string, Route>();
  const key = (method: string, path: string) => `${method} ${path}`;
  const addRoute = (route: Route) => routes.set(key(route.method, route.path), route);
  for (const r of options.routes ?? []) addRoute(r);
  const { logger } = options;
  const limits = resolveLimits(options.limits);
  // Node's own backstop for a whole request: past our header and body timeouts, so those answer first.
  const requestTimeout = limits.headersTimeoutMs + limits.bodyTimeoutMs + 1_000;

  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const path = pathOf(req.url);
    if (path === undefined) {
      if (hasBody(req)) refuse(req, res, 400, 'bad request target\n');
      else sendText(res, 400, 'bad request target\n');
      return;
    }
    const method = req.method ?? 'GET';
    const route =
      routes.get(key(method, path)) ??
      (method === 'HEAD' ? routes.get(key('GET', path)) : undefined) ??
      prefixRoute(routes, method, path);
    if (!route) {
      const known = [...routes.values()].some(
        (r) => r.path === path || (r.prefix && path.startsWith(r.path)),
      );
      const status = known ? 405 : 404;
      const text = known ? 'method not allowed\n' : 'not found\n';
      // A body sent to no route is not read: the connection is closed instead.
      if (hasBody(req)) refuse(req, res, status, text);
      else sendText(res, status, text);
      return;
    }
    Promise.resolve()
      .then(() => route.handle(req, res))
      .catch((err: unknown) => {
        logger.error({ path, err: err instanceof Error ? err.message : String(err) }, 'request failed');
        if (!res.headersSent) sendText(res, 500, 'internal error\n');
        else res.end();
      });
  };
  const server = http.createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout,
      // How often Node looks for connections past those two timeouts (its default is 30 s).
      connectionsCheckingInterval: Math.min(5_000, Math.max(100, limits.headersTimeoutMs / 4)),
      maxHeaderSize: limits.maxHeaderSize,
    },
    onRequest,
  );
  // `Expect: 100-continue` is not answered by Node itself: a route that reads the body invites it
  // (res.writeContinue()) once the headers pass; a refused client never sends it.
  server.on('checkContinue', onRequest);
  server.maxConnections = limits.maxConnections;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.maxHeadersCount = limits.maxHeadersCount;
  server.maxRequestsPerSocket = limits.maxRequestsPerSocket;

  return {
    server,
    addRoute,
    listen(host, port) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const addr = server.address() as AddressInfo;
          const shown = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
          resolve({ host: addr.address, port: addr.port, url: `http://${shown}:${addr.port}` });
        });
      });
    },
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
    },
  };
}

/** The route of the longest prefix over `path` for this method (HEAD falls back to GET). */
function prefixRoute(routes: Map<string, Route>, method: string, path: string): Route | undefined {
  let best: Route | undefined;
  for (const r of routes.values()) {
    if (!r.prefix || !path.startsWith(r.path)) continue;
    if (r.method !== method && !(method === 'HEAD' && r.method === 'GET')) continue;
    if (!best || r.path.length > best.path.length) best = r;
  }
  return best;
}

/** Answer with a small text body. */
export function sendText(
  res: http.ServerResponse,
  status: number,
  body: string,
  type = 'text/plain; charset=utf-8',
): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/**
 * Answer without reading the request body: the connection stops being read at once (what arrived
 * with the headers is all that is ever parsed), the answer says `Connection: close`, and the socket
 * is destroyed as soon as the answer is flushed, whatever the client is still sending.
 */
export function refuse(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
): void {
  const socket = req.socket;
  // Pausing the socket stops Node's reads of it (the HTTP parser reads it natively otherwise).
  socket.pause();
  req.pause();
  if (!res.headersSent) {
    res.shouldKeepAlive = false;
    res.writeHead(status, {
      ...headers,
      connection: 'close',
      'content-type': 'text/plain; charset=utf-8',
      'content-length': Buffer.byteLength(body),
    });
  }
  // After Node's own 'finish' handler, which would resume reading to drain the body.
  res.once('finish', () => socket.destroy());
  res.end(body);
  if (socket.destroyed) return;
  // A client that never takes its answer (a full window) keeps the write from finishing.
  const timer = setTimeout(() => socket.destroy(), REFUSED_GRACE_MS);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
}

/** How long a refused client has to take its answer before its connection is destroyed. */
const REFUSED_GRACE_MS = 2_000;

/** Whether the request says a body follows (a length over 0, or chunked). */
export function hasBody(req: http.IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** The path of a request target, or undefined when it is not a URL. */
function pathOf(target: string | undefined): string | undefined {
  try {
    return new URL(target ?? '/', 'http://localhost').pathname;
  } catch {
    return undefined;
  }
}
