/**
 * Payloads riding in a description: long base64 runs (an encoded instruction or file), `data:`
 * URLs, and URLs that carry more than an address — long query strings, credentials-like userinfo
 * (`https://docs.example.com@evil.test/`), heavy percent-encoding. Plain loops over the text,
 * linear in its length.
 */

/** A base64 run this long (padding excluded) is a payload, not a word or an identifier. */
export const BASE64_MIN = 64;
/** A URL's query and fragment longer than this carry data, not an address. */
export const URL_QUERY_MAX = 100;
/** A URL longer than this is a payload. */
export const URL_MAX = 256;
/** More percent-escapes than this in one URL hide what it says. */
export const URL_ESCAPES_MAX = 12;

export interface PayloadMatch {
  rule: 'encoded-payload' | 'suspicious-url';
  /** UTF-16 index in the text. */
  index: number;
  /** UTF-16 index just past the match. */
  end: number;
  detail: string;
}

function isBase64Char(c: number): boolean {
  return (
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0x30 && c <= 0x39) ||
    c === 0x2b ||
    c === 0x2f ||
    c === 0x2d ||
    c === 0x5f
  );
}

/** Characters that end a URL in prose: whitespace, quotes, brackets, backticks. */
function endsUrl(c: number): boolean {
  return (
    c <= 0x20 ||
    c === 0x22 ||
    c === 0x27 ||
    c === 0x3c ||
    c === 0x3e ||
    c === 0x60 ||
    c === 0x29 ||
    c === 0x5d ||
    c === 0x7d ||
    c >= 0x7f
  );
}

function startsWithAt(text: string, i: number, word: string): boolean {
  if (i + word.length > text.length) return false;
  for (let k = 0; k < word.length; k++) {
    let c = text.charCodeAt(i + k);
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    if (c !== word.charCodeAt(k)) return false;
  }
  return true;
}

/** The URL at `i` (after `http://`, `https://` or `data:`), judged; undefined when it is plain. */
function judgeUrl(text: string, i: number, end: number): PayloadMatch | undefined {
  const url = text.slice(i, end);
  const lower = url.toLowerCase();
  if (lower.startsWith('data:')) {
    // `data:` followed by a media type and `,` or `;`: an inline document, whatever it holds.
    if (
      /^data:[a-z]+\/[a-z0-9.+-]+[;,]/.test(lower) ||
      lower.startsWith('data:,') ||
      lower.startsWith('data:;base64,')
    ) {
      return { rule: 'suspicious-url', index: i, end, detail: `a data: URL (${url.length} characters)` };
    }
    return undefined;
  }
  const afterScheme = lower.indexOf('//') + 2;
  let authorityEnd = url.length;
  for (let k = afterScheme; k < url.length; k++) {
    const c = url.charCodeAt(k);
    if (c === 0x2f || c === 0x3f || c === 0x23) {
      authorityEnd = k;
      break;
    }
  }
  if (url.slice(afterScheme, authorityEnd).includes('@')) {
    return {
      rule: 'suspicious-url',
      index: i,
      end,
      detail: 'a URL with userinfo before its host (the host is after "@")',
    };
  }
  if (url.length > URL_MAX) {
    return { rule: 'suspicious-url', index: i, end, detail: `a URL of ${url.length} characters` };
  }
  const q = url.search(/[?#]/);
  if (q >= 0 && url.length - q > URL_QUERY_MAX) {
    return {
      rule: 'suspicious-url',
      index: i,
      end,
      detail: `a URL with a ${url.length - q}-character query`,
    };
  }
  let escapes = 0;
  for (let k = 0; k < url.length; k++) if (url.charCodeAt(k) === 0x25) escapes++;
  if (escapes > URL_ESCAPES_MAX) {
    return { rule: 'suspicious-url', index: i, end, detail: `a URL with ${escapes} percent-escapes` };
  }
  return undefined;
}

/** Payload findings in order of position, at most `limit`. A base64 run inside a URL is the URL's. */
export function findPayloads(text: string, limit: number): PayloadMatch[] {
  const out: PayloadMatch[] = [];
  let i = 0;
  while (i < text.length && out.length < limit) {
    const c = text.charCodeAt(i);
    if (
      (c === 0x68 || c === 0x48 || c === 0x64 || c === 0x44) &&
      (startsWithAt(text, i, 'http://') ||
        startsWithAt(text, i, 'https://') ||
        startsWithAt(text, i, 'data:'))
    ) {
      let end = i;
      while (end < text.length && !endsUrl(text.charCodeAt(end))) end++;
      // Trailing sentence punctuation is not part of an http(s) URL (a data: URL may end in `,`).
      const isData = c === 0x64 || c === 0x44;
      while (!isData && end > i && /[.,;:!?]/.test(text[end - 1]!)) end--;
      const judged = judgeUrl(text, i, end);
      if (judged) out.push(judged);
      i = Math.max(end, i + 1);
      continue;
    }
    if (isBase64Char(c)) {
      let end = i;
      let upper = false;
      let lowerCase = false;
      let digit = false;
      while (end < text.length && isBase64Char(text.charCodeAt(end))) {
        const d = text.charCodeAt(end);
        if (d >= 0x41 && d <= 0x5a) upper = true;
        else if (d >= 0x61 && d <= 0x7a) lowerCase = true;
        else if (d >= 0x30 && d <= 0x39) digit = true;
        end++;
      }
      // Identifiers and words are long runs too; base64 mixes cases and digits.
      if (end - i >= BASE64_MIN && upper && lowerCase && digit) {
        out.push({
          rule: 'encoded-payload',
          index: i,
          end,
          detail: `a base64-like run of ${end - i} characters`,
        });
      }
      i = end;
      while (i < text.length && text.charCodeAt(i) === 0x3d) i++;
      continue;
    }
    i++;
  }
  return out;
}
