/**
 * Server-Sent Events for live pages: `event: update` with `{kind, env}` when a reconcile
 * finished, a server's health changed or drift changed, so an open page fetches itself again
 * instead of polling. At most `maxClients` streams at once (one more is answered 503 with
 * Retry-After) and a comment line every `heartbeatMs` keeps proxies from closing an idle stream.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SECURITY_HEADERS } from './headers.js';
import type { Update } from './model/health-log.js';

/** One SSE message for an update: the JSON cannot hold a raw newline, so it is one data line. */
export function frame(update: Update): string {
  return `event: update\ndata: ${JSON.stringify({ kind: update.kind, env: update.env })}\n\n`;
}

export const HEARTBEAT = ': heartbeat\n\n';

export interface SseOptions {
  maxClients?: number;
  heartbeatMs?: number;
}

export class SseHub {
  private readonly clients = new Set<ServerResponse>();
  private readonly maxClients: number;
  private readonly timer: NodeJS.Timeout;

  constructor(options: SseOptions = {}) {
    this.maxClients = options.maxClients ?? 100;
    this.timer = setInterval(() => this.send(HEARTBEAT), options.heartbeatMs ?? 25_000);
    this.timer.unref();
  }

  get size(): number {
    return this.clients.size;
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    if (this.clients.size >= this.maxClients) {
      const body = 'too many live clients; the page still works without live updates\n';
      res.writeHead(503, {
        ...SECURITY_HEADERS,
        'retry-after': '30',
        'content-type': 'text/plain; charset=utf-8',
        'content-length': Buffer.byteLength(body),
      });
      res.end(body);
      return;
    }
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    // Reconnect after 2 s by default; the page's script adds its own backoff.
    res.write('retry: 2000\n\n');
    this.clients.add(res);
    const drop = () => this.clients.delete(res);
    req.on('close', drop);
    res.on('close', drop);
    res.on('error', drop);
  }

  broadcast(update: Update): void {
    this.send(frame(update));
  }

  /** End every stream and stop the heartbeat. */
  close(): void {
    clearInterval(this.timer);
    for (const res of this.clients) res.end();
    this.clients.clear();
  }

  private send(text: string): void {
    for (const res of this.clients) if (!res.writableEnded) res.write(text);
  }
}
