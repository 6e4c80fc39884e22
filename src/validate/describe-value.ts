/** Short, human descriptions of YAML values and JSON Schema types for messages. */
import { secretKeyKind } from '../policy/secret-like-key.js';
import { isExcused } from '../policy/secret-value.js';
import { looksRandom } from '../policy/shannon-entropy.js';
import { TOKEN_SHAPES } from '../policy/token-shapes.js';

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string': {
      const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
      return JSON.stringify(shown);
    }
    case 'number':
      return `the number ${value}`;
    case 'boolean':
      return String(value);
    case 'object':
      return 'a mapping';
    default:
      return String(value);
  }
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
  object: 'a mapping',
  array: 'a list',
  null: 'null',
};

export function describeType(type: unknown): string {
  const types = Array.isArray(type) ? type : [type];
  return types.map((t) => TYPE_NAMES[String(t)] ?? String(t)).join(' or ');
}

/** `spec.targets[0].host`, `spec.env["MY-VAR"]`; the empty path is the document itself. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

export function listWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/**
 * A rejected value as a message shows it: `describeValue`, except a string that may be a
 * credential — under a key that names one (`token: ghp_…` where a `{ ref: env:VAR }` belongs), in
 * a known token shape, or random-looking — is described by its length only, and a URL's user-info
 * is masked. Validation messages reach terminals, CI logs and pull-request comments; the value is
 * in the file, not needed there.
 */
export function describeRejected(path: readonly (string | number)[], value: unknown): string {
  if (typeof value !== 'string') return describeValue(value);
  // A URL's user-info is a credential wherever it is written (`https://user:token@host/`).
  const shown = value.replace(/\/\/[^/@\s]*@/g, '//***@');
  if (!mayBeSecret(path, shown)) return describeValue(shown);
  return `a string of ${value.length} characters, not shown: it may be a credential`;
}

function mayBeSecret(path: readonly (string | number)[], value: string): boolean {
  if (isExcused(value)) return false;
  if (path.some((seg) => typeof seg === 'string' && secretKeyKind(seg) === 'credential')) return true;
  for (const shape of TOKEN_SHAPES) {
    shape.pattern.lastIndex = 0;
    const hit = shape.pattern.test(value);
    shape.pattern.lastIndex = 0;
    if (hit) return true;
  }
  return value.split(/\s+/).some((word) => looksRandom(word));
}
