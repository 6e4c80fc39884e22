/**
 * The HTTP server of `serve`: a plain `node:http` server dispatching on method + exact path to a
 * list of routes that callers can extend (`addRoute`) before or after `listen`.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../log/logger.js';
import type { Route } from './types.js';

export interface ServeAppOptions {
  routes?: readonly Route[];
  logger: Logger;
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

  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const method = req.method ?? 'GET';
    const route =
      routes.get(key(method, path)) ?? (method === 'HEAD' ? routes.get(key('GET', path)) : undefined);
    if (!route) {
      const known = [...routes.values()].some((r) => r.path === path);
      req.resume();
      sendText(res, known ? 405 : 404, known ? 'method not allowed\n' : 'not found\n');
      return;
    }
    Promise.resolve()
      .then(() => route.handle(req, res))
      .catch((err: unknown) => {
        logger.error({ path, err: err instanceof Error ? err.message : String(err) }, 'request failed');
        if (!res.headersSent) sendText(res, 500, 'internal error\n');
        else res.end();
      });
  });
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;

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
