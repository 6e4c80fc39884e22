/**
 * Hostile clients of `serve`'s webhook endpoint, for tests and the bench: a flood of concurrent
 * unsigned POSTs, /healthz probes running alongside, and a raw socket to send requests byte by
 * byte (slow-loris, partial bodies). Every wait is bounded.
 */
import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import * as net from 'node:net';
import { performance } from 'node:perf_hooks';
import { Webhooks } from '@octokit/webhooks';

export interface FloodResult {
  /** HTTP status → count; `error:<code>` for a request that got no answer (e.g. reset mid-body). */
  answers: Map<string, number>;
  /** Requests answered 2xx (must be none for unsigned ones). */
  accepted: number;
}

/**
 * `count` concurrent POSTs of `bytes` each to `/hooks/github`, looking like GitHub deliveries but
 * unsigned (one shared body buffer, so the sender itself stays small). Each gets 60 s at most.
 */
export async function flood(
  url: string,
  options: { count: number; bytes: number; localAddress?: string; headers?: Record<string, string> },
): Promise<FloodResult> {
  const { hostname, port } = new URL(url);
  const body = Buffer.alloc(options.bytes, 0x61);
  const agent = new http.Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });
  const answers = new Map<string, number>();
  let accepted = 0;
  const one = () =>
    new Promise<void>((resolve) => {
      let done = false;
      const finish = (key: string) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        answers.set(key, (answers.get(key) ?? 0) + 1);
        resolve();
      };
      const req = http.request(
        {
          host: hostname,
          port,
          method: 'POST',
          path: '/hooks/github',
          agent,
          localAddress: options.localAddress,
          headers: {
            'content-type': 'application/json',
            'content-length': String(options.bytes),
            'x-github-event': 'push',
            'x-github-delivery': 'flood',
            ...options.headers,
          },
        },
        (res) => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) accepted++;
          res.resume();
          res.on('error', () => {});
          finish(String(status));
        },
      );
      const timer = setTimeout(() => {
        req.destroy();
        finish('error:timeout');
      }, 60_000);
      req.on('error', (err: NodeJS.ErrnoException) => finish(`error:${err.code ?? err.message}`));
      req.end(body);
    });
  await Promise.all(Array.from({ length: options.count }, one));
  agent.destroy();
  return { answers, accepted };
}

export interface Probes {
  /** Milliseconds per answered probe, in order. */
  latencies: number[];
  /** Probes that failed or did not answer 200 (with why). */
  failures: string[];
}

/**
 * A `GET /healthz` every `everyMs` (each on a new connection, as a health checker would, without
 * waiting for the previous one) until `stop` resolves; each probe gets `timeoutMs`.
 */
export async function probeHealthz(
  url: string,
  stop: Promise<unknown>,
  options: { everyMs?: number; timeoutMs?: number } = {},
): Promise<Probes> {
  let stopped = false;
  void stop.finally(() => {
    stopped = true;
  });
  const probes: Probes = { latencies: [], failures: [] };
  const agent = new http.Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });
  const running: Promise<void>[] = [];
  while (!stopped) {
    const started = performance.now();
    running.push(
      getStatus(`${url}/healthz`, agent, options.timeoutMs ?? 5_000).then((status) => {
        if (status === 200) probes.latencies.push(performance.now() - started);
        else probes.failures.push(String(status));
      }),
    );
    await new Promise((r) => setTimeout(r, options.everyMs ?? 10));
  }
  await Promise.all(running);
  agent.destroy();
  return probes;
}

/** Probes as probeHealthz sends them, for `durationMs` with nothing else going on: the floor. */
export function healthzFloor(url: string, durationMs: number, everyMs = 10): Promise<Probes> {
  return probeHealthz(url, new Promise((r) => setTimeout(r, durationMs)), { everyMs });
}

function getStatus(url: string, agent: http.Agent, timeoutMs: number): Promise<number | string> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', (e: NodeJS.ErrnoException) => resolve(`error:${e.code ?? e.message}`));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e: NodeJS.ErrnoException) => resolve(`error:${e.code ?? e.message}`));
  });
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

/** A raw TCP client: what it sent is up to the test, what came back is collected. */
export interface RawClient {
  socket: net.Socket;
  /** Everything received so far (latin1). */
  received(): string;
  /** Whether the server closed or reset the connection. */
  closed(): boolean;
  /** Write if still open; false once the connection is gone. */
  write(data: string | Buffer): boolean;
  /** Resolves when `check` holds, rejects after `timeoutMs`. */
  until(check: () => boolean, what: string, timeoutMs?: number): Promise<void>;
  destroy(): void;
}

export async function rawClient(port: number, localAddress?: string): Promise<RawClient> {
  const socket = net.connect({ host: '127.0.0.1', port, localAddress });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  let text = '';
  let gone = false;
  socket.on('data', (d: Buffer) => {
    text += d.toString('latin1');
  });
  socket.on('error', () => {});
  socket.on('close', () => {
    gone = true;
  });
  const client: RawClient = {
    socket,
    received: () => text,
    closed: () => gone,
    write(data) {
      if (gone || socket.destroyed || !socket.writable) return false;
      socket.write(data);
      return true;
    },
    async until(check, what, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!check()) {
        if (Date.now() > deadline)
          throw new Error(
            `${what}: not within ${timeoutMs} ms (received ${JSON.stringify(text.slice(0, 300))})`,
          );
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    destroy: () => socket.destroy(),
  };
  return client;
}

/** The request line and headers of a webhook POST, as bytes on the wire. */
export function webhookHead(headers: Record<string, string | number>): string {
  const lines = ['POST /hooks/github HTTP/1.1', 'Host: 127.0.0.1'];
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/**
 * One delivery over `http.request` (so the source address can be chosen: any 127.x.y.z is this
 * host's loopback), signed with `secret` unless `signature` is given.
 */
export async function sendDelivery(
  url: string,
  options: {
    secret: string;
    event: string;
    payload: unknown;
    id?: string;
    localAddress?: string;
    headers?: Record<string, string>;
  },
): Promise<Answer> {
  const body = JSON.stringify(options.payload);
  const signature = await new Webhooks({ secret: options.secret }).sign(body);
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: hostname,
        port,
        method: 'POST',
        path: '/hooks/github',
        agent: false,
        localAddress: options.localAddress,
        timeout: 30_000,
        headers: {
          'content-type': 'application/json',
          'x-github-event': options.event,
          'x-github-delivery': options.id ?? randomUUID(),
          'x-hub-signature-256': signature,
          ...options.headers,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          text += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('no answer in 30 s')));
    req.on('error', reject);
    req.end(body);
  });
}
