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

export interface EngineResponse {
  status: number;
  body: Buffer;
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
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(req.query ?? {})) {
      if (value !== undefined) query.set(key, String(value));
    }
    const qs = query.toString();
    const path = `/${API_VERSION}${req.path}${qs ? `?${qs}` : ''}`;
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
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
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
