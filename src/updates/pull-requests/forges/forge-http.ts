/**
 * The forges' one HTTP call: JSON in and out, bounded in time (default 20 s, body included) and
 * in reply size (default 4 MiB, counted while reading), redirects refused (a token must not follow
 * one). Errors say the method, the path and the status, never the token, the query or the reply's
 * text (which a forge or a proxy chose).
 */
import { McpGitopsError } from '../../../core/errors.js';

export interface ForgeRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT';
  url: URL;
  headers: Record<string, string>;
  body?: unknown;
  timeoutMs?: number;
  maxBytes?: number;
}

export const FORGE_TIMEOUT_MS = 20_000;
export const FORGE_MAX_BYTES = 4 * 1024 * 1024;

export async function forgeJson(what: string, req: ForgeRequest): Promise<unknown> {
  const where = `${what} ${req.method} ${req.url.pathname}`;
  const fail = (why: string, cause?: unknown) =>
    new McpGitopsError('ERR_IO', `${where}: ${why}`, {
      hint: 'check the pull request settings (updates.pullRequests) and that the token may open pull requests',
      ...(cause === undefined ? {} : { cause: new Error(cause instanceof Error ? cause.name : 'error') }),
    });
  const signal = AbortSignal.timeout(req.timeoutMs ?? FORGE_TIMEOUT_MS);
  let res: Response;
  try {
    res = await fetch(req.url, {
      method: req.method,
      headers: {
        accept: 'application/json',
        ...req.headers,
        ...(req.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(req.body === undefined ? {} : { body: JSON.stringify(req.body) }),
      redirect: 'error',
      signal,
    });
  } catch (err) {
    throw fail(signal.aborted ? 'no answer in time' : 'the request could not be sent', err);
  }
  const max = req.maxBytes ?? FORGE_MAX_BYTES;
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    if (res.body) {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        size += chunk.byteLength;
        if (size > max) throw fail(`the reply passed ${max} bytes`);
        chunks.push(chunk);
      }
    }
  } catch (err) {
    if (err instanceof McpGitopsError) throw err;
    throw fail(signal.aborted ? 'no answer in time' : 'the reply was cut', err);
  }
  if (res.status < 200 || res.status >= 300) throw fail(`answered ${res.status}`);
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    throw fail('the reply is not JSON');
  }
}

/** A string field of an untrusted JSON object, bounded; '' when missing. */
export function str(value: unknown, key: string, max = 70_000): string {
  const v = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  return typeof v === 'string' ? v.slice(0, max) : '';
}

export function num(value: unknown, key: string): number | undefined {
  const v = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  return typeof v === 'number' && Number.isSafeInteger(v) && v > 0 ? v : undefined;
}

/** One forge's API under `root`: URLs with a query, and calls with its headers and time bound. */
export function forgeApi(what: string, root: string, headers: Record<string, string>, timeoutMs?: number) {
  return {
    url(path: string, query: Record<string, string> = {}): URL {
      const u = new URL(`${root}${path}`);
      for (const [k, v] of Object.entries(query)) u.searchParams.set(k, v);
      return u;
    },
    call(method: ForgeRequest['method'], url: URL, body?: unknown): Promise<unknown> {
      return forgeJson(what, {
        method,
        url,
        headers,
        ...(body === undefined ? {} : { body }),
        ...(timeoutMs ? { timeoutMs } : {}),
      });
    },
  };
}

/** A list reply's items that validate as pull requests of `branch`, newest first. */
export function branchPullRequests<T extends { branch: string; number: number }>(
  reply: unknown,
  branch: string,
  toPullRequest: (value: unknown) => T | undefined,
  notAList: string,
): T[] {
  if (!Array.isArray(reply)) throw new McpGitopsError('ERR_IO', notAList);
  return reply
    .map(toPullRequest)
    .filter((pr): pr is T => pr !== undefined && pr.branch === branch)
    .sort((a, b) => b.number - a.number);
}
