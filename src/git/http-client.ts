/**
 * isomorphic-git's HTTP client, with limits a long-running reconciler needs. The stock Node client
 * goes through Node's global agent, whose 5 s socket timeout aborts any exchange in which the
 * remote is silent that long (a big fetch while the server packs); and nothing bounds the whole
 * exchange. Here: own agents with no such timeout, an idle timeout (no byte for `idleTimeoutMs`),
 * an overall deadline, and up to 5 redirects for GETs. (Untrusted fetches — pull request heads —
 * do not come through here: src/pr-plan/fetch-pull-head.ts caps them in bytes with git itself.)
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { GitHttpRequest, GitHttpResponse, HttpClient } from 'isomorphic-git';

export interface HttpLimits {
  /** No byte received for this long aborts the exchange. */
  idleTimeoutMs: number;
  /** The whole exchange, response body included. */
  totalTimeoutMs: number;
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = {
  idleTimeoutMs: 120_000,
  totalTimeoutMs: 15 * 60_000,
};

const agents = { http: new http.Agent({ keepAlive: false }), https: new https.Agent({ keepAlive: false }) };

export function gitHttpClient(limits: HttpLimits = DEFAULT_HTTP_LIMITS): HttpClient {
  return { request: (req) => send(req, limits, 0) };
}

async function send(req: GitHttpRequest, limits: HttpLimits, redirects: number): Promise<GitHttpResponse> {
  const body = req.body ? await collect(req.body) : undefined;
  const url = new URL(req.url);
  const lib = url.protocol === 'https:' ? https : http;
  const method = req.method ?? 'GET';
  const headers: Record<string, string> = { ...req.headers };
  if (body) headers['content-length'] = String(body.length);
  return new Promise((resolve, reject) => {
    const deadline = setTimeout(
      () =>
        request.destroy(new Error(`the git server did not finish within ${limits.totalTimeoutMs / 1000} s`)),
      limits.totalTimeoutMs,
    );
    deadline.unref();
    const request = lib.request(
      url,
      { method, headers, agent: lib === https ? agents.https : agents.http },
      (res) => {
        const status = res.statusCode ?? 0;
        if (method === 'GET' && status >= 300 && status < 400 && res.headers.location && redirects < 5) {
          res.resume();
          clearTimeout(deadline);
          const next = new URL(res.headers.location, url).toString();
          send({ ...req, url: next }, limits, redirects + 1).then(resolve, reject);
          return;
        }
        resolve({
          url: url.toString(),
          method,
          statusCode: status,
          statusMessage: res.statusMessage ?? '',
          headers: flatHeaders(res.headers),
          body: untilEnd(res, () => clearTimeout(deadline)),
        });
      },
    );
    request.setTimeout(limits.idleTimeoutMs, () =>
      request.destroy(new Error(`the git server sent nothing for ${limits.idleTimeoutMs / 1000} s`)),
    );
    request.on('error', (err) => {
      clearTimeout(deadline);
      reject(err);
    });
    request.end(body);
  });
}

async function* untilEnd(res: http.IncomingMessage, done: () => void): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of res) yield chunk as Buffer;
  } finally {
    done();
  }
}

async function collect(iterable: AsyncIterableIterator<Uint8Array> | Uint8Array[]): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const part of iterable as AsyncIterable<Uint8Array>) parts.push(part);
  return Buffer.concat(parts);
}

function flatHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers))
    if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}
