/**
 * How the hub answers agents: JSON for what they asked for, and constant, terse refusals that echo
 * nothing from the request (a refusal says which rule, never what was sent). A refusal before the
 * body was read closes the connection (`refuse`), so an unread body is never parsed.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { refuse, sendText } from '../../serve/create-serve-app.js';

export type Refusal =
  | 'bad-request'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'too-large'
  | 'timed-out'
  | 'rate-limited'
  | 'unprocessable';

const ANSWERS: Record<Refusal, [number, string]> = {
  'bad-request': [400, 'bad request\n'],
  unauthorized: [401, 'unauthorized\n'],
  forbidden: [403, 'forbidden\n'],
  'not-found': [404, 'no fleet target matches this machine\n'],
  'too-large': [413, 'request too large\n'],
  'timed-out': [408, 'request timed out\n'],
  'rate-limited': [429, 'too many requests\n'],
  unprocessable: [422, 'report refused\n'],
};

/** Answer a refusal; `bodyRead` false: the body was not read, the connection is closed. */
export function answerRefusal(
  req: IncomingMessage,
  res: ServerResponse,
  refusal: Refusal,
  bodyRead: boolean,
  retryAfter?: number,
): void {
  const [status, text] = ANSWERS[refusal];
  const headers: Record<string, string> = retryAfter ? { 'retry-after': String(retryAfter) } : {};
  if (!bodyRead) {
    refuse(req, res, status, text, headers);
    return;
  }
  if (retryAfter) res.setHeader('retry-after', String(retryAfter));
  sendText(res, status, text);
}

export function sendJson(
  res: ServerResponse,
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): void {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  });
  res.end(body);
}

/** The request's body parsed as JSON, or undefined when it is not JSON. */
export function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}
