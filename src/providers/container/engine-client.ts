/**
 * A minimal Docker Engine API client over a unix socket (node:http `socketPath`). The provider
 * needs a dozen endpoints; the API is the same on Docker and on Podman's compatible service.
 * (dockerode would bring 70 packages, gRPC and a native build step through ssh2/cpu-features.)
 * Every request is bounded; an engine error becomes an McpGitopsError with the engine's message.
 */
import { request } from 'node:http';
import { McpGitopsError } from '../../core/errors.js';

/** API version every supported engine speaks (Docker 20.10+, Podman 3+ compat service). */
export const API_VERSION = 'v1.41';
const DEFAULT_TIMEOUT_MS = 30_000;
const MAX_BODY_BYTES = 16 * 1024 * 1024;
const MAX_LINE_CHARS = 1024 * 1024;

export interface EngineResponse {
  status: number;
  body: Buffer;
  /** The engine's clock when it answered (its `Date` header, ms since the epoch; second precision). */
  date?: number;
}

/** An open streaming response (events, pull progress): JSON lines until the engine ends it. */
export interface EngineStream {
  /** The engine's clock when it answered (its `Date` header), if it sent one. */
  date?: number;
  /** Resolves once the stream is over: undefined after `close()`, else why it ended. */
  ended: Promise<string | undefined>;
  close(): void;
}

export interface EngineRequest {
  method: 'GET' | 'POST' | 'DELETE' | 'HEAD';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  timeoutMs?: number;
}

export class EngineClient {
  /**
   * `socketPath` is the unix socket to connect to; `label` is how errors name the engine when
   * that socket is a local forward of another host's (e.g. `/var/run/docker.sock on ssh://…`).
   */
  constructor(
    readonly socketPath: string,
    readonly label?: string,
  ) {}

  /** One HTTP request to the engine; resolves with any status (callers decide what is an error). */
  send(req: EngineRequest): Promise<EngineResponse> {
    const path = apiPath(req);
    const payload = req.body === undefined ? undefined : Buffer.from(JSON.stringify(req.body));
    const timeoutMs = req.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    return new Promise((resolve, reject) => {
      const r = request(
        {
          socketPath: this.socketPath,
          path,
          method: req.method,
          headers: {
            host: 'docker',
            ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_BODY_BYTES) {
              res.destroy(
                new Error(`engine response to ${req.method} ${req.path} exceeds ${MAX_BODY_BYTES} bytes`),
              );
              return;
            }
            chunks.push(chunk);
          });
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              body: Buffer.concat(chunks),
              ...dateOf(res.headers.date),
            }),
          );
          res.on('error', reject);
        },
      );
      const timer = setTimeout(() => {
        r.destroy(
          new Error(`the container engine did not answer ${req.method} ${req.path} within ${timeoutMs} ms`),
        );
      }, timeoutMs);
      r.on('close', () => clearTimeout(timer));
      r.on('error', (err: NodeJS.ErrnoException) => reject(this.connectionError(err)));
      r.end(payload);
    });
  }

  /**
   * A streaming request: resolves once the engine answered 200 (within `timeoutMs`, default 30 s),
   * then calls `onLine` for every non-empty line it sends, until it ends the response or `close()`
   * is called. No limit on how long the stream stays open; a line longer than 1 MiB ends it.
   * A status other than 200 rejects with the engine's message.
   */
  stream(req: EngineRequest, onLine: (line: string) => void): Promise<EngineStream> {
    const payload = req.body === undefined ? undefined : Buffer.from(JSON.stringify(req.body));
    const timeoutMs = req.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    return new Promise((resolve, reject) => {
      let closed = false;
      let finish: (why: string | undefined) => void = () => undefined;
      const ended = new Promise<string | undefined>((done) => {
        finish = (why) => {
          finish = () => undefined;
          done(closed ? undefined : why);
        };
      });
      const r = request(
        {
          socketPath: this.socketPath,
          path: apiPath(req),
          method: req.method,
          headers: {
            host: 'docker',
            ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}),
          },
        },
        (res) => {
          clearTimeout(timer);
          if (res.statusCode !== 200) {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.length < 64 && chunks.push(chunk));
            res.on('end', () =>
              reject(engineError(req, { status: res.statusCode ?? 0, body: Buffer.concat(chunks) })),
            );
            res.on('error', reject);
            return;
          }
          let pending = '';
          res.setEncoding('utf8');
          res.on('data', (text: string) => {
            pending += text;
            let nl = pending.indexOf('\n');
            while (nl >= 0) {
              const line = pending.slice(0, nl).trim();
              pending = pending.slice(nl + 1);
              if (line) onLine(line);
              nl = pending.indexOf('\n');
            }
            if (pending.length > MAX_LINE_CHARS)
              res.destroy(
                new Error(`a line of ${req.method} ${req.path} exceeds ${MAX_LINE_CHARS} characters`),
              );
          });
          res.on('end', () => {
            if (pending.trim()) onLine(pending.trim());
            finish(`the container engine ended ${req.method} ${req.path}`);
          });
          res.on('error', (err) => finish(err.message));
          res.on('close', () =>
            finish(`the connection to the container engine closed during ${req.method} ${req.path}`),
          );
          resolve({
            ...dateOf(res.headers.date),
            ended,
            close: () => {
              closed = true;
              r.destroy();
              finish(undefined);
            },
          });
        },
      );
      const timer = setTimeout(() => {
        r.destroy(
          new Error(`the container engine did not answer ${req.method} ${req.path} within ${timeoutMs} ms`),
        );
      }, timeoutMs);
      r.on('error', (err: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(this.connectionError(err));
        finish(this.connectionError(err).message);
      });
      r.end(payload);
    });
  }

  /** Send and parse JSON; a status outside `ok` throws with the engine's message. */
  async json<T>(req: EngineRequest, ok: readonly number[] = [200, 201]): Promise<T> {
    const res = await this.send(req);
    if (!ok.includes(res.status)) throw engineError(req, res);
    const text = res.body.toString('utf8');
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** Send and expect one of the `ok` statuses, ignoring the body. */
  async expect(req: EngineRequest, ok: readonly number[]): Promise<number> {
    const res = await this.send(req);
    if (!ok.includes(res.status)) throw engineError(req, res);
    return res.status;
  }

  private connectionError(err: NodeJS.ErrnoException): Error {
    if (
      this.label !== undefined &&
      (err.code === 'ECONNRESET' || err.code === 'ENOENT' || err.code === 'EPIPE')
    ) {
      // Through an ssh forward: the host's sshd could not reach the socket, or the master is gone.
      return new McpGitopsError('ERR_HOST', `container engine socket ${this.label} closed the connection`, {
        hint: "check that the engine runs on that host and that the ssh user may use its socket (set the target's `socket`)",
      });
    }
    if (err.code === 'ENOENT' || err.code === 'ECONNREFUSED' || err.code === 'EACCES') {
      const why = {
        ENOENT: 'does not exist',
        ECONNREFUSED: 'refuses connections',
        EACCES: 'is not accessible',
      }[err.code];
      return new McpGitopsError(
        'ERR_HOST',
        `container engine socket ${this.label ?? this.socketPath} ${why}`,
        {
          hint:
            "start the engine (Docker, or `podman system service --time=0 unix://PATH`) or set the target's " +
            '`socket` (default: DOCKER_HOST when unix://, else /var/run/docker.sock)',
        },
      );
    }
    return err;
  }
}

function apiPath(req: EngineRequest): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(req.query ?? {})) {
    if (value !== undefined) query.set(key, String(value));
  }
  const qs = query.toString();
  return `/${API_VERSION}${req.path}${qs ? `?${qs}` : ''}`;
}

function dateOf(header: string | undefined): { date?: number } {
  const date = header ? Date.parse(header) : Number.NaN;
  return Number.isFinite(date) ? { date } : {};
}

/** The engine's own error message (`{"message": ...}`) with the request that failed. */
export function engineError(req: EngineRequest, res: EngineResponse): McpGitopsError {
  let message = res.body.toString('utf8').trim();
  try {
    const parsed = JSON.parse(message) as { message?: unknown };
    if (typeof parsed.message === 'string') message = parsed.message;
  } catch {
    // not JSON: keep the text
  }
  return new McpGitopsError(
    'ERR_PROVIDER',
    `container engine: ${req.method} ${req.path.split('?')[0]} → ${res.status}: ${message.slice(0, 500) || 'no message'}`,
  );
}
