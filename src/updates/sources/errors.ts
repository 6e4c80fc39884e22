/**
 * The one error a version source throws. Its message is safe to print as it is: it names the
 * registry by origin only and says what went wrong in our words, never a credential and never
 * text the registry chose (a reply body, a header). `code` lets callers group failures.
 */

export type UpdateSourceErrorCode =
  | 'unreachable'
  | 'not-found'
  | 'unauthorized'
  | 'bad-reply'
  | 'timeout'
  | 'too-large'
  | 'bad-config';

const MAX_MESSAGE = 200;

export class UpdateSourceError extends Error {
  override readonly name = 'UpdateSourceError';
  readonly code: UpdateSourceErrorCode;

  constructor(code: UpdateSourceErrorCode, message: string) {
    super(message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 1)}…` : message);
    this.code = code;
  }
}

/** `https://user:pw@host:8080/path?q` → `https://host:8080`; anything unparsable → `registry`. */
export function originOf(url: string | URL): string {
  try {
    const parsed = typeof url === 'string' ? new URL(url) : url;
    return parsed.origin === 'null' ? 'registry' : parsed.origin;
  } catch {
    return 'registry';
  }
}
