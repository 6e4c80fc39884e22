/**
 * Whether a key names a secret (`API_KEY`, `clientSecret`, `password`, `Authorization`), as opposed
 * to something about one (`API_KEY_FILE`, `tokenUrl`, `secretRef`, `TOKEN_LIMIT`), and how sure the
 * name alone is:
 *
 * - `credential`: the name says the value is a credential: its last word is `token`, `secret`,
 *   `password`/`passwd`/`pass`/`passphrase`, `apikey` (`API_KEY`, `apiKey`, `X-API-Key`),
 *   `authorization`, `credential(s)`/`creds`, `pat` or `bearer`, or `key` right after a word that
 *   makes it a credential (`ACCESS_KEY`, `SECRET_KEY`, `PRIVATE_KEY`, `SIGNING_KEY`, ...). A
 *   trailing number (`_2`, `_V2`) or a word that only names the encoding (`_VALUE`, `_B64`,
 *   `_PEM`, ...) is skipped first. Any value there that is not a reference, a template or a
 *   placeholder (secret-value.ts) is a plaintext secret, whatever its entropy.
 * - `ambiguous`: a secret word appears, but the name may well mean something else: a bare `key`
 *   (`SORT_KEY`, `PRIMARY_KEY`, `CACHE_KEY`, `ROUTING_KEY`, but also `OPENAI_KEY`), `auth`
 *   (`AUTH: oauth`), `session`, `cookie`, `signature`, a shell's `PWD`, or a secret word that is not
 *   last (`SECRET_MOUNT: kv`). There the value decides: only a value that looks random
 *   (shannon-entropy.ts: 16+ characters of high entropy, or a UUID) is a finding, so that
 *   `SORT_KEY: created_at`, `PRIMARY_KEY: id` and `AUTH: oauth` pass, while a random key under
 *   `OPENAI_KEY` is still caught. A short or word-like value there is far more often a lookup
 *   key, a mode or a name than a credential, and flagging it would teach people to ignore the
 *   policy.
 * - undefined: no secret word, a last word that says the value is about a secret rather than one
 *   (`_FILE`, `_URL`, `_ID`, `_NAME`, `_LIMIT`, ...), or a count (`MAX_TOKENS`).
 */
export type SecretKeyKind = 'credential' | 'ambiguous';

/** Any of these in a key makes it at least ambiguous. */
const SECRET_WORDS = new Set([
  'token',
  'secret',
  'secrets',
  'password',
  'passwd',
  'pass',
  'pwd',
  'passphrase',
  'apikey',
  'key',
  'auth',
  'authorization',
  'credential',
  'credentials',
  'cred',
  'creds',
  'pat',
  'bearer',
  'signature',
  'cookie',
  'session',
]);

/** These as the last word name a credential outright. */
const CREDENTIAL_WORDS = new Set([
  'token',
  'secret',
  'password',
  'passwd',
  'pass',
  'pwd',
  'passphrase',
  'apikey',
  'authorization',
  'credential',
  'credentials',
  'cred',
  'creds',
  'pat',
  'bearer',
]);

/**
 * A trailing `key` names a credential only after one of these (`ACCESS_KEY`, `PRIVATE_KEY`,
 * `Ocp-Apim-Subscription-Key`); public halves (`PUBLIC_KEY`, `PUBLISHABLE_KEY`) and lookup keys
 * (`SORT_KEY`, `PRIMARY_KEY`) stay ambiguous.
 */
const KEY_QUALIFIERS = new Set([
  'access',
  'secret',
  'private',
  'signing',
  'encryption',
  'crypt',
  'crypto',
  'cipher',
  'master',
  'hmac',
  'auth',
  'license',
  'licence',
  'subscription',
  'admin',
  'service',
  'client',
  'app',
  'consumer',
  'account',
  'storage',
  'shared',
  'deploy',
  'ssh',
  'gpg',
  'pgp',
  'jwt',
  'webhook',
  'ingest',
  'write',
  'root',
]);

/** Trailing words that say how a credential is encoded, not that the value is something else. */
const ENCODING_WORDS = new Set([
  'value',
  'b64',
  'base64',
  'hex',
  'pem',
  'der',
  'raw',
  'str',
  'string',
  'json',
  'base',
]);

/** Compounds written as one word (`accesstoken`, `CLIENTSECRET`, `dbpassword`) end in one of these. */
const COMPOUND_SUFFIXES = ['token', 'secret', 'password', 'passwd', 'passphrase', 'apikey'];

/** Words that, at the end of a key, say the value is not the secret itself. */
const NOT_THE_SECRET = new Set([
  'name',
  'names',
  'id',
  'ids',
  'url',
  'uri',
  'urls',
  'endpoint',
  'path',
  'file',
  'files',
  'dir',
  'ref',
  'refs',
  'env',
  'var',
  'type',
  'kind',
  'header',
  'prefix',
  'length',
  'count',
  'ttl',
  'expiry',
  'expires',
  'timeout',
  'enabled',
  'required',
  'mode',
  'format',
  'algorithm',
  'scope',
  'scopes',
  'field',
  // About a quantity of (LLM) tokens or a policy for secrets, not a secret: TOKEN_LIMIT,
  // SESSION_MAX, SECRET_PROVIDER, PASSWORD_MIN_LENGTH (length above), TOKEN_AUDIENCE.
  'limit',
  'limits',
  'max',
  'min',
  'size',
  'budget',
  'usage',
  'interval',
  'version',
  'provider',
  'backend',
  'store',
  'method',
  'strategy',
  'policy',
  'audience',
  'issuer',
  'location',
  'hint',
  'label',
  'description',
  'placeholder',
  'prompt',
]);

/** Words that, at the start of a key, say it is about a number of tokens: MAX_TOKEN, NUM_TOKENS. */
const QUANTITY_FIRST = new Set(['max', 'min', 'num', 'total']);

export function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .replace(/api[-_ ]?key/g, 'apikey')
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
}

/** `accesstoken` → `token`; a word that is a secret word already is returned as it is. */
function secretWord(word: string): string {
  if (SECRET_WORDS.has(word)) return word;
  for (const suffix of COMPOUND_SUFFIXES) if (word.endsWith(suffix)) return suffix;
  return word;
}

/** A numbered variant (`API_KEY_2`, `TOKEN_V2`) means what the name without the number means. */
const NUMBERED = /^v?\d+$/;

function classify(key: string): SecretKeyKind | undefined {
  const words = keyWords(key).map(secretWord);
  let end = words.length;
  while (end > 1 && NUMBERED.test(words[end - 1]!)) end--;
  if (end === 0 || NOT_THE_SECRET.has(words[end - 1]!)) return undefined;
  if (end > 1 && QUANTITY_FIRST.has(words[0]!)) return undefined;
  if (!words.some((w) => SECRET_WORDS.has(w))) return undefined;
  while (end > 1 && ENCODING_WORDS.has(words[end - 1]!)) end--;
  const last = words[end - 1]!;
  // `PWD` alone is the shell's working directory; `DB_PWD` is a password.
  if (last === 'pwd' && end === 1) return 'ambiguous';
  if (CREDENTIAL_WORDS.has(last)) return 'credential';
  if (last === 'key' && end > 1 && KEY_QUALIFIERS.has(words[end - 2]!)) return 'credential';
  return 'ambiguous';
}

const known = new Map<string, SecretKeyKind | null>();

/** `credential`, `ambiguous`, or undefined for a key that does not name a secret. */
export function secretKeyKind(key: string): SecretKeyKind | undefined {
  let result = known.get(key);
  if (result === undefined) {
    result = classify(key) ?? null;
    if (known.size > 10_000) known.clear();
    known.set(key, result);
  }
  return result ?? undefined;
}

export function isSecretLikeKey(key: string): boolean {
  return secretKeyKind(key) !== undefined;
}
