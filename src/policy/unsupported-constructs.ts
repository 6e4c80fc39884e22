/**
 * What a policy pattern may not be, and the messages that say why: not valid ECMA-262 (with the `u`
 * flag, as JSON Schema and Ajv read it), or a construct RE2 cannot run in linear time
 * (backreferences, lookahead, lookbehind) or does not know (a Unicode property). translate-pattern.ts
 * refuses with these as it meets them; each message follows the word "pattern".
 */

/** A pattern refused, and why. */
export type Refusal = { ok: false; message: string };

/** Why linear time: said with every refusal. */
const WHY =
  'policy patterns run on a linear-time regular expression engine (RE2) so that no value can make matching hang';

export function unknownProperty(text: string, at: number): Refusal {
  return {
    ok: false,
    message: `uses the Unicode property "${text}" (character ${at + 1}), which the linear-time regular expression engine (RE2) does not know: use a general category (L, Lu, Nd, …) or a script by its full name (Script=Greek, …)`,
  };
}

function unsupported(what: string, text: string, at: number, advice: string, needs = ''): Refusal {
  return {
    ok: false,
    message: `uses a ${what} "${text}" (character ${at + 1}), which ${needs}is not supported: ${WHY}; ${advice}`,
  };
}

export function backreference(text: string, at: number): Refusal {
  return unsupported('backreference', text, at, 'spell out what may repeat', 'needs backtracking and ');
}

/** A lookahead or lookbehind group starting at `p[i] === '('`, refused; else undefined. */
export function refuseLookaround(p: string, i: number): Refusal | undefined {
  if (p.startsWith('(?=', i) || p.startsWith('(?!', i)) {
    return unsupported(
      'lookahead',
      p.slice(i, i + 3),
      i,
      'match what follows explicitly, or write "must not match" as not: { pattern: … }',
    );
  }
  if (p.startsWith('(?<=', i) || p.startsWith('(?<!', i)) {
    return unsupported(
      'lookbehind',
      p.slice(i, i + 4),
      i,
      'match what precedes explicitly, or write "must not match" as not: { pattern: … }',
    );
  }
  return undefined;
}

/** ECMA-262 syntax (with the `u` flag) as the engine reports it, or undefined when valid. */
export function ecmaSyntaxError(pattern: string): string | undefined {
  try {
    new RegExp(pattern, 'u');
    return undefined;
  } catch (err) {
    // "Invalid regular expression: /(/u: Unterminated group" → "Unterminated group"
    const message = err instanceof Error ? err.message : String(err);
    return message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '');
  }
}
