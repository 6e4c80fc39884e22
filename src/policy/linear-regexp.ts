/**
 * Regular expressions from the config repo (a Policy's `pattern` and `patternProperties`) run on
 * RE2 (re2js, a pure JavaScript port), whose matching time is linear in the input. On a
 * backtracking engine such as JavaScript's own, `^(a+)+$` against `aaa…a!` takes twice as long with
 * each character: 41 characters hang `validate`, the pre-commit hook, `plan`, `reconcile` and `serve`.
 *
 * This is Ajv's `code.regExp` for those patterns, and `checkPattern` to say why one cannot run:
 * JSON Schema patterns are ECMA-262 regular expressions (Ajv compiles them with the `u` flag), so a
 * pattern is first checked as one and rewritten into RE2 syntax with the same meaning
 * (translate-pattern.ts); what RE2 cannot run in linear time (backreferences, lookahead,
 * lookbehind) is refused with a message saying so (unsupported-constructs.ts). Compiled patterns
 * are cached by source.
 *
 * re2js (~260 KB) is loaded on the first compile (load-re2.ts), that is only for a repo with its
 * own policies.
 */
import { type Re2, re2 } from './load-re2.js';
import { translatePattern } from './translate-pattern.js';

export { type Translation, translatePattern } from './translate-pattern.js';

/** What Ajv needs of a compiled pattern. */
export interface LinearRegExp {
  test(input: string): boolean;
  toString(): string;
}

/** Thrown by `linearRegExp` for a pattern it cannot run; `message` says why. */
export class UnsupportedPatternError extends Error {
  override readonly name = 'UnsupportedPatternError';
}

/** Compiled patterns by source; cleared when full (`serve` validates many revisions). */
const compiled = new Map<string, LinearRegExp | UnsupportedPatternError>();
const CACHE_LIMIT = 10_000;

/**
 * Compiles a pattern for linear-time matching (kept for Ajv), or says why it cannot be: a message
 * that follows "pattern", e.g. `uses a backreference "\1" (character 5), which is not supported: …`.
 */
export function checkPattern(pattern: string): string | undefined {
  const result = compileLinear(pattern);
  return result instanceof UnsupportedPatternError ? result.message : undefined;
}

function compileLinear(pattern: string): LinearRegExp | UnsupportedPatternError {
  const hit = compiled.get(pattern);
  if (hit) return hit;
  const result = compileUncached(pattern);
  if (compiled.size >= CACHE_LIMIT) compiled.clear();
  compiled.set(pattern, result);
  return result;
}

function compileUncached(pattern: string): LinearRegExp | UnsupportedPatternError {
  const translation = translatePattern(pattern);
  if (!translation.ok) return new UnsupportedPatternError(translation.message);
  let re: Re2;
  try {
    re = re2().RE2JS.compile(translation.source);
  } catch (err) {
    const reason = (err instanceof Error ? err.message : String(err)).replace(/^error parsing regexp: /, '');
    return new UnsupportedPatternError(
      `is not supported by the linear-time regular expression engine (RE2): ${reason}`,
    );
  }
  // Ajv keys its compiled patterns by their string form: it must differ between patterns.
  const key = `re2:u:${pattern}`;
  return { test: (input: string) => re.test(input), toString: () => key };
}

/**
 * Ajv's `code.regExp`: `(pattern, flags) => { test }`. Ajv passes the `u` flag (its default
 * `unicodeRegExp`); the translation assumes it. Throws UnsupportedPatternError.
 */
export const linearRegExp = Object.assign(
  (pattern: string, flags: string): LinearRegExp => {
    if (flags !== 'u') throw new UnsupportedPatternError(`has flags "${flags}", which are not supported`);
    const result = compileLinear(pattern);
    if (result instanceof UnsupportedPatternError) throw result;
    return result;
  },
  { code: 'linearRegExp' },
);
