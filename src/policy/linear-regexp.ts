/**
 * Regular expressions from the config repo (a Policy's `pattern` and `patternProperties`) run on
 * RE2 (re2js, a pure JavaScript port), whose matching time is linear in the input. On a
 * backtracking engine such as JavaScript's own, `^(a+)+$` against `aaa…a!` takes twice as long with
 * each character: 41 characters hang `validate`, the pre-commit hook, `plan`, `reconcile` and `serve`.
 *
 * JSON Schema patterns are ECMA-262 regular expressions (Ajv compiles them with the `u` flag), so a
 * pattern is first checked as one, then rewritten into RE2 syntax with ECMA-262's meaning where the
 * two differ: `\s` and `.` (ECMA-262's whitespace and line terminators, not RE2's ASCII ones),
 * `\u` escapes, `\cX`, `[\b]`, `[]` and `[^]`; class members are written as code points so that
 * nothing in a class reads as RE2-only syntax (`[[:alpha:]]`). `\d`, `\w` and `\b` are ASCII in both;
 * `^` and `$` mean the start and end of the input in both (no multiline flag). What RE2 cannot run
 * in linear time (backreferences, lookahead, lookbehind) is refused with a message saying so.
 *
 * re2js (~260 KB) is loaded on the first compile, that is only for a repo with its own policies.
 */
import { createRequire } from 'node:module';

type Re2Module = typeof import('re2js');
type Re2 = import('re2js').RE2JS;

let re2Module: Re2Module | undefined;
function re2(): Re2Module {
  re2Module ??= createRequire(import.meta.url)('re2js') as Re2Module;
  return re2Module;
}

export type Translation = { ok: true; source: string } | { ok: false; message: string };

/** Why linear time: said with every refusal. */
const WHY =
  'policy patterns run on a linear-time regular expression engine (RE2) so that no value can make matching hang';

/** ECMA-262 `\s`: WhiteSpace and LineTerminator (RE2's `\s` is ASCII only). */
const SPACE: readonly (readonly [number, number])[] = [
  [0x09, 0x0d],
  [0x20, 0x20],
  [0xa0, 0xa0],
  [0x1680, 0x1680],
  [0x2000, 0x200a],
  [0x2028, 0x2029],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
  [0xfeff, 0xfeff],
];
/** ECMA-262 `.` without the `s` flag: anything but a line terminator. */
const LINE_TERMINATORS: readonly (readonly [number, number])[] = [
  [0x0a, 0x0a],
  [0x0d, 0x0d],
  [0x2028, 0x2029],
];
const MAX_CODE_POINT = 0x10ffff;

function hex(cp: number): string {
  return `\\x{${cp.toString(16)}}`;
}

function ranges(set: readonly (readonly [number, number])[]): string {
  return set.map(([lo, hi]) => (lo === hi ? hex(lo) : `${hex(lo)}-${hex(hi)}`)).join('');
}

function complement(set: readonly (readonly [number, number])[]): [number, number][] {
  const out: [number, number][] = [];
  let next = 0;
  for (const [lo, hi] of set) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX_CODE_POINT) out.push([next, MAX_CODE_POINT]);
  return out;
}

const SPACE_RANGES = ranges(SPACE);
const NON_SPACE_RANGES = ranges(complement(SPACE));
const DOT = `[^${ranges(LINE_TERMINATORS)}]`;
const ANY_RANGE = `${hex(0)}-${hex(MAX_CODE_POINT)}`;

/** ECMA-262's long names of general categories → the short ones RE2 knows. */
const CATEGORY: Readonly<Record<string, string>> = {
  Letter: 'L',
  Uppercase_Letter: 'Lu',
  Lowercase_Letter: 'Ll',
  Titlecase_Letter: 'Lt',
  Modifier_Letter: 'Lm',
  Other_Letter: 'Lo',
  Cased_Letter: 'LC',
  Mark: 'M',
  Combining_Mark: 'M',
  Nonspacing_Mark: 'Mn',
  Spacing_Mark: 'Mc',
  Enclosing_Mark: 'Me',
  Number: 'N',
  Decimal_Number: 'Nd',
  digit: 'Nd',
  Letter_Number: 'Nl',
  Other_Number: 'No',
  Punctuation: 'P',
  punct: 'P',
  Connector_Punctuation: 'Pc',
  Dash_Punctuation: 'Pd',
  Open_Punctuation: 'Ps',
  Close_Punctuation: 'Pe',
  Initial_Punctuation: 'Pi',
  Final_Punctuation: 'Pf',
  Other_Punctuation: 'Po',
  Symbol: 'S',
  Math_Symbol: 'Sm',
  Currency_Symbol: 'Sc',
  Modifier_Symbol: 'Sk',
  Other_Symbol: 'So',
  Separator: 'Z',
  Space_Separator: 'Zs',
  Line_Separator: 'Zl',
  Paragraph_Separator: 'Zp',
  Other: 'C',
  Control: 'Cc',
  cntrl: 'Cc',
  Format: 'Cf',
  Surrogate: 'Cs',
  Private_Use: 'Co',
};

const knownProperties = new Map<string, boolean>();

/** Whether RE2 has a Unicode property of this name (it has categories, scripts and a few more). */
function re2KnowsProperty(name: string): boolean {
  let known = knownProperties.get(name);
  if (known === undefined) {
    try {
      re2().RE2JS.compile(`\\p{${name}}`);
      known = true;
    } catch {
      known = false;
    }
    knownProperties.set(name, known);
  }
  return known;
}

function unknownProperty(text: string, at: number): Translation {
  return {
    ok: false,
    message: `uses the Unicode property "${text}" (character ${at + 1}), which the linear-time regular expression engine (RE2) does not know: use a general category (L, Lu, Nd, …) or a script by its full name (Script=Greek, …)`,
  };
}

/** `\p{Script=Greek}`, `\p{gc=Letter}`, `\p{Lu}` → RE2's `\p{Greek}`, `\p{L}`, `\p{Lu}`. */
function propertyName(body: string): string {
  const m = /^(Script|sc|General_Category|gc)=(.+)$/.exec(body);
  const name = m ? m[2]! : body;
  const script = m && (m[1] === 'Script' || m[1] === 'sc');
  return (!script && Object.hasOwn(CATEGORY, name) ? CATEGORY[name] : undefined) ?? name;
}

function unsupported(what: string, text: string, at: number, advice: string, needs = ''): Translation {
  return {
    ok: false,
    message: `uses a ${what} "${text}" (character ${at + 1}), which ${needs}is not supported: ${WHY}; ${advice}`,
  };
}

function backreference(text: string, at: number): Translation {
  return unsupported('backreference', text, at, 'spell out what may repeat', 'needs backtracking and ');
}

/**
 * One escape at `p[i] === '\\'` of a pattern that is valid ECMA-262 with the `u` flag: the code
 * point it stands for, a class (RE2 text, usable inside `[...]` when `inClass`), or a refusal.
 */
type Escape =
  | { kind: 'char'; cp: number; end: number }
  | { kind: 'class'; text: string; end: number }
  | { kind: 'assertion'; text: string; end: number }
  | { kind: 'refused'; result: Translation };

function readEscape(p: string, i: number, inClass: boolean): Escape {
  const c = p[i + 1]!;
  switch (c) {
    case 'd':
    case 'D':
    case 'w':
    case 'W':
      return { kind: 'class', text: `\\${c}`, end: i + 2 };
    case 's':
      return { kind: 'class', text: inClass ? SPACE_RANGES : `[${SPACE_RANGES}]`, end: i + 2 };
    case 'S':
      return { kind: 'class', text: inClass ? NON_SPACE_RANGES : `[${NON_SPACE_RANGES}]`, end: i + 2 };
    case 'b':
      return inClass
        ? { kind: 'char', cp: 0x08, end: i + 2 }
        : { kind: 'assertion', text: '\\b', end: i + 2 };
    case 'B':
      return { kind: 'assertion', text: '\\B', end: i + 2 };
    case 't':
      return { kind: 'char', cp: 0x09, end: i + 2 };
    case 'n':
      return { kind: 'char', cp: 0x0a, end: i + 2 };
    case 'v':
      return { kind: 'char', cp: 0x0b, end: i + 2 };
    case 'f':
      return { kind: 'char', cp: 0x0c, end: i + 2 };
    case 'r':
      return { kind: 'char', cp: 0x0d, end: i + 2 };
    case '0':
      return { kind: 'char', cp: 0, end: i + 2 };
    case 'c':
      return { kind: 'char', cp: p.charCodeAt(i + 2) % 32, end: i + 3 };
    case 'x':
      return { kind: 'char', cp: Number.parseInt(p.slice(i + 2, i + 4), 16), end: i + 4 };
    case 'u': {
      if (p[i + 2] === '{') {
        const close = p.indexOf('}', i + 3);
        return { kind: 'char', cp: Number.parseInt(p.slice(i + 3, close), 16), end: close + 1 };
      }
      const cp = Number.parseInt(p.slice(i + 2, i + 6), 16);
      // A surrogate pair written as two escapes is one code point.
      if (cp >= 0xd800 && cp <= 0xdbff && p.startsWith('\\u', i + 6) && p[i + 8] !== '{') {
        const low = Number.parseInt(p.slice(i + 8, i + 12), 16);
        if (low >= 0xdc00 && low <= 0xdfff) {
          return { kind: 'char', cp: 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00), end: i + 12 };
        }
      }
      return { kind: 'char', cp, end: i + 6 };
    }
    case 'p':
    case 'P': {
      const close = p.indexOf('}', i + 3);
      const name = propertyName(p.slice(i + 3, close));
      if (!re2KnowsProperty(name))
        return { kind: 'refused', result: unknownProperty(p.slice(i, close + 1), i) };
      return { kind: 'class', text: `\\${c}{${name}}`, end: close + 1 };
    }
    case 'k': {
      const close = p.indexOf('>', i + 3);
      return { kind: 'refused', result: backreference(p.slice(i, close + 1), i) };
    }
    default: {
      if (c >= '1' && c <= '9') {
        let end = i + 2;
        while (end < p.length && p[end]! >= '0' && p[end]! <= '9') end++;
        return { kind: 'refused', result: backreference(p.slice(i, end), i) };
      }
      // An identity escape of a syntax character, `/` or (in a class) `-`.
      return { kind: 'char', cp: p.codePointAt(i + 1)!, end: i + 2 };
    }
  }
}

/** A literal outside a class: ASCII letters, digits, `_` and space as they are, anything else escaped. */
function literal(cp: number): string {
  const plain =
    (cp >= 0x30 && cp <= 0x39) ||
    (cp >= 0x41 && cp <= 0x5a) ||
    (cp >= 0x61 && cp <= 0x7a) ||
    cp === 0x5f ||
    cp === 0x20;
  return plain ? String.fromCharCode(cp) : hex(cp);
}

/** ECMA-262 syntax (with the `u` flag) as the engine reports it, or undefined when valid. */
function ecmaSyntaxError(pattern: string): string | undefined {
  try {
    new RegExp(pattern, 'u');
    return undefined;
  } catch (err) {
    // "Invalid regular expression: /(/u: Unterminated group" → "Unterminated group"
    const message = err instanceof Error ? err.message : String(err);
    return message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '');
  }
}

/** `[...]` at `p[start] === '['`: the RE2 class and where it ends, or a refusal. */
function translateClass(p: string, start: number): { text: string; end: number } | { refused: Translation } {
  let i = start + 1;
  const negated = p[i] === '^';
  if (negated) i++;
  let body = '';
  let members = 0;
  const atom = (): { cp?: number; text: string } | { refused: Translation } => {
    if (p[i] === '\\') {
      const e = readEscape(p, i, true);
      if (e.kind === 'refused') return { refused: e.result };
      i = e.end;
      if (e.kind === 'char') return { cp: e.cp, text: hex(e.cp) };
      return { text: e.text };
    }
    const cp = p.codePointAt(i)!;
    i += cp > 0xffff ? 2 : 1;
    return { cp, text: hex(cp) };
  };
  while (p[i] !== ']') {
    const from = atom();
    if ('refused' in from) return from;
    members++;
    // `a-z`: a range when `-` stands between two members (ECMA-262 refuses a class as an end).
    if (p[i] === '-' && p[i + 1] !== ']' && from.cp !== undefined) {
      i++;
      const to = atom();
      if ('refused' in to) return to;
      body += `${from.text}-${to.text}`;
    } else {
      body += from.text;
    }
  }
  const end = i + 1;
  if (members === 0) return { text: negated ? `[${ANY_RANGE}]` : `[^${ANY_RANGE}]`, end };
  return { text: `[${negated ? '^' : ''}${body}]`, end };
}

/**
 * An ECMA-262 pattern (as JSON Schema and Ajv read it, with the `u` flag) in RE2 syntax with the
 * same meaning, or why it cannot have one.
 */
export function translatePattern(pattern: string): Translation {
  const syntax = ecmaSyntaxError(pattern);
  if (syntax !== undefined) return { ok: false, message: `is not a valid regular expression: ${syntax}` };
  const p = pattern;
  let out = '';
  let i = 0;
  while (i < p.length) {
    const c = p[i]!;
    if (c === '\\') {
      const e = readEscape(p, i, false);
      if (e.kind === 'refused') return e.result;
      out += e.kind === 'char' ? hex(e.cp) : e.text;
      i = e.end;
    } else if (c === '[') {
      const cls = translateClass(p, i);
      if ('refused' in cls) return cls.refused;
      out += cls.text;
      i = cls.end;
    } else if (c === '(') {
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
      if (p.startsWith('(?:', i)) {
        out += '(?:';
        i += 3;
      } else if (p.startsWith('(?<', i)) {
        // A named group: only whether the pattern matches counts, so the name can go.
        out += '(?:';
        i = p.indexOf('>', i) + 1;
      } else {
        out += '(?:';
        i += 1;
      }
    } else if (c === '.') {
      out += DOT;
      i++;
    } else if ('^$|)*+?{},'.includes(c) || (c >= '0' && c <= '9')) {
      // Anchors, alternation, group ends and quantifiers read the same in RE2.
      out += c;
      i++;
    } else {
      const cp = p.codePointAt(i)!;
      out += literal(cp);
      i += cp > 0xffff ? 2 : 1;
    }
  }
  return { ok: true, source: out };
}

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
