/**
 * What a value under a secret-like key may be without being a plaintext secret. Deliberately
 * narrow: anything not listed here, under a key that names a credential, is a finding.
 *
 * - a reference: `env:`, `file:`, `sops:`, `vault:`, `k8s:` (also after an auth scheme);
 * - a template: contains `{{` or `${` (filled in at apply time or by the client);
 * - an obvious placeholder, compared case-insensitively after an auth scheme (`Bearer `, `Basic `,
 *   `Token `, `ApiKey `) is taken off:
 *   - empty, only whitespace, or no letter or digit at all (`-`, `***`, `...`);
 *   - wholly in angle brackets: `<your token>`, `<API_KEY>`;
 *   - made only of the words changeme, replaceme, todo, tbd, fixme, example, placeholder, dummy,
 *     none, null, nil, undefined, redacted (separators `-`, `_`, `.`, space ignored, repeats
 *     allowed): `change-me`, `REPLACE_ME`, `changeme-changeme`, `TODO`; and `n/a`;
 *   - starting with `your` and a separator (`your-api-key`, `YOUR_TOKEN_HERE`), or words ending in
 *     `here` (`paste-token-here`, `API_KEY_HERE`);
 *   - a mask: a run of 3+ `x` or `*`, or `...`/`…`, after at most 3 short prefixes
 *     (`xxxxxxxx`, `sk-xxxx-xxxx`, `ghp_...`), or one character repeated, separators aside
 *     (`00000000-0000-0000-0000-000000000000`, `aaaa`);
 *   - an auth scheme alone (`Bearer`);
 * - not a credential at all: a boolean (`true`, `false`, `yes`, `no`, `on`, `off`), a plain
 *   number of at most 12 digits (`4096`, `0.5`: a port, size or count; longer digit strings can
 *   be keys and are not excused), or a file path (`GOOGLE_APPLICATION_CREDENTIALS: ~/sa.json`):
 *   one starting with `~/`, `./` or `../`, or with `/` and either holding a `.` or starting with
 *   a usual top directory (`/run/`, `/etc/`, `/home/`, ...). Base64, hex and UUIDs never hold `.`
 *   or `~`, so a random key that starts with `/` is still a finding.
 *
 * A word like `secret` or `password` as the value is not excused: it is a (weak) real credential.
 */
const REF_PREFIX = /^(?:env|file|sops|vault|k8s):/;
const AUTH_SCHEME = /^(?:bearer|basic|token|apikey)\s+/i;
const SCHEME_ONLY = /^(?:bearer|basic|token|apikey)$/i;
const NO_ALNUM = /^[^\p{L}\p{N}]*$/u;
const ANGLE = /^<[^<>]*>$/;
const PLACEHOLDER_WORDS =
  /^(?:changeme|replaceme|todo|tbd|fixme|example|placeholder|dummy|none|null|nil|undefined|redacted)+$/;
const YOURS = /^your[-_ .]/;
const HERE = /^[a-z]+(?:[-_ .][a-z]+)*[-_ .]here$/;
const MASK =
  /^(?:[a-z0-9]{1,12}[-_]){0,3}(?:(?:x{3,}|\*{3,})(?:[-_.](?:x{3,}|\*{3,}))*(?:\.\.\.|…)?|\.\.\.|…)$/;
const ONE_CHAR = /^(.)\1{2,}$/su;
const BOOLEAN = /^(?:true|false|yes|no|on|off)$/;
const NUMBER = /^[+-]?\d+(?:\.\d+)?$/;
const MAX_NUMBER_DIGITS = 12;
const PATH = /^(?:\.{0,2}|~)\/[^\s]*$/;
const PATH_HINT =
  /^(?:~|\.{1,2})\/|^\/(?:run|etc|var|home|usr|opt|tmp|srv|mnt|root|secrets|data|users|workspace|app)\/|\./;

/** A file path rather than a key: see above (`~/`, `./`, `../`, or `/` with a `.` or a usual top directory). */
export function isFilePath(value: string): boolean {
  return PATH.test(value) && PATH_HINT.test(value.toLowerCase());
}

export function isReference(value: string): boolean {
  // `includes`, not a `{{…}}` pattern: linear on any input, and an unclosed `{{` is a template
  // error that validate reports anyway.
  return REF_PREFIX.test(value) || value.includes('{{') || value.includes('${');
}

/** The part of a header value after its auth scheme (`Bearer abc` → `abc`); else the value. */
export function credentialPart(value: string): string {
  return value.replace(AUTH_SCHEME, '');
}

/** True for the placeholders and non-credentials listed above; `value` is the whole value. */
export function isPlaceholder(value: string): boolean {
  const part = credentialPart(value.trim()).trim();
  if (REF_PREFIX.test(part)) return true;
  const v = part.toLowerCase();
  const compact = v.replace(/[-_. ]/g, '');
  return (
    NO_ALNUM.test(v) ||
    SCHEME_ONLY.test(v) ||
    v === 'n/a' ||
    ANGLE.test(v) ||
    PLACEHOLDER_WORDS.test(compact) ||
    YOURS.test(v) ||
    HERE.test(v) ||
    MASK.test(v) ||
    ONE_CHAR.test(compact) ||
    BOOLEAN.test(v) ||
    isFilePath(v) ||
    (NUMBER.test(v) && v.replace(/\D/g, '').length <= MAX_NUMBER_DIGITS)
  );
}

/** A value under a key that names a credential is a plaintext secret unless this says otherwise. */
export function isExcused(value: string): boolean {
  return isReference(value) || isPlaceholder(value);
}
