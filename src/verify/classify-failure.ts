/**
 * Tells a server that is still coming up ("starting": nothing listening yet, connection reset,
 * a gateway answering 502-504, no answer yet) from one that answered wrongly or died
 * ("unhealthy": HTTP 4xx, protocol errors, a stdio process that exited, a missing command).
 * Only "starting" is worth retrying.
 */
import { SdkError, SdkErrorCode } from '@modelcontextprotocol/client';

export type AttemptHealth = 'starting' | 'unhealthy';

export interface AttemptFailure {
  health: AttemptHealth;
  message: string;
}

const NOT_LISTENING = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
]);
const GATEWAY_STATUSES = new Set([502, 503, 504]);

/** Error codes (string `code`, numeric HTTP status in `code` or `status`) along the `cause` chain. */
function codesOf(err: unknown): (string | number)[] {
  const codes: (string | number)[] = [];
  let current: unknown = err;
  for (let depth = 0; current && typeof current === 'object' && depth < 8; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' || typeof code === 'number') codes.push(code);
    const status = (current as { status?: unknown }).status;
    if (isHttpStatus(status)) codes.push(status);
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
}

export function describeError(err: unknown): string {
  const parts: string[] = [];
  let current: unknown = err;
  for (let depth = 0; current !== undefined && current !== null && depth < 8; depth++) {
    const text =
      current instanceof Error
        ? current.message || current.name
        : typeof current === 'string'
          ? current
          : JSON.stringify(current);
    // An SDK error's code (`CONNECTION_CLOSED`) only repeats its message; a system one (`ECONNREFUSED`) adds to it.
    const code = current instanceof SdkError ? undefined : (current as { code?: unknown }).code;
    const withCode =
      typeof code === 'string' && !text.includes(code)
        ? `${text} (${code})`
        : isHttpStatus(code) && !text.includes(String(code))
          ? `${text} (HTTP ${code})`
          : text;
    if (withCode && !parts.some((p) => p.includes(withCode))) parts.push(withCode);
    // A process that exited is the whole story: its cause is only how the client noticed, which
    // differs by handshake (the discover probe or initialize), and a reason that flips between the
    // two would change the report, and commit it, on every pass.
    if (current instanceof Error && current.name === 'ProcessExitedError') break;
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join(': ') || 'unknown error';
}

function isHttpStatus(code: unknown): code is number {
  return typeof code === 'number' && code >= 100 && code <= 599;
}

export function classifyFailure(err: unknown, kind: 'stdio' | 'http'): AttemptFailure {
  // A reply nested deeper than the stack: JSON.parse takes it, the SDK's validation does not.
  if (err instanceof RangeError && /call stack/i.test(err.message))
    return { health: 'unhealthy', message: `its reply nests too deeply to read (${err.message})` };
  const message = describeError(err);
  const codes = codesOf(err);
  if (err instanceof SdkError && err.code === SdkErrorCode.RequestTimeout) {
    return { health: 'starting', message: 'no answer yet: ' + message };
  }
  if (kind === 'http') {
    if (codes.some((c) => typeof c === 'string' && NOT_LISTENING.has(c)))
      return { health: 'starting', message };
    if (codes.some((c) => typeof c === 'number' && GATEWAY_STATUSES.has(c)))
      return { health: 'starting', message };
    if (/fetch failed|socket hang up|other side closed/i.test(message))
      return { health: 'starting', message };
  }
  return { health: 'unhealthy', message };
}
