/**
 * The headers of every UI answer: a strict Content-Security-Policy (our own script and stylesheet
 * only, no inline code, no frames, no forms, fetches to ourselves only), no MIME sniffing, no
 * referrer (links go out to forges), and no framing.
 */
export const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};
