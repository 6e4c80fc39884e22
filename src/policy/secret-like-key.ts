/**
 * Whether a key names a secret (`API_KEY`, `clientSecret`, `password`, `Authorization`), as opposed
 * to something about one (`API_KEY_FILE`, `tokenUrl`, `secretRef`).
 */
const SECRET_WORDS = new Set([
  'token',
  'secret',
  'password',
  'passwd',
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
]);

export function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .replace(/api[-_ ]?key/g, 'apikey')
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
}

const known = new Map<string, boolean>();

export function isSecretLikeKey(key: string): boolean {
  let result = known.get(key);
  if (result === undefined) {
    const words = keyWords(key);
    result =
      words.length > 0 &&
      !NOT_THE_SECRET.has(words[words.length - 1]!) &&
      words.some((w) => SECRET_WORDS.has(w));
    if (known.size > 10_000) known.clear();
    known.set(key, result);
  }
  return result;
}
