/**
 * An ECMA-262 pattern (a Policy's `pattern` or `patternProperties`, which Ajv compiles with the `u`
 * flag) rewritten into RE2 syntax with ECMA-262's meaning where the two differ: `\s` and `.`
 * (ECMA-262's whitespace and line terminators, not RE2's ASCII ones), `\u` escapes, `\cX`, `[\b]`,
 * `[]` and `[^]`; class members are written as code points so that nothing in a class reads as
 * RE2-only syntax (`[[:alpha:]]`). `\d`, `\w` and `\b` are ASCII in both; `^` and `$` mean the start
 * and end of the input in both (no multiline flag). What RE2 cannot run in linear time is refused
 * as it is met, with the messages of unsupported-constructs.ts.
 */
import {
  ANY_RANGE,
  DOT,
  hex,
  NON_SPACE_RANGES,
  propertyName,
  re2KnowsProperty,
  SPACE_RANGES,
} from './ecma-classes.js';
import {
  backreference,
  ecmaSyntaxError,
  type Refusal,
  refuseLookaround,
  unknownProperty,
} from './unsupported-constructs.js';

export type Translation = { ok: true; source: string } | Refusal;

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
      const refused = refuseLookaround(p, i);
      if (refused) return refused;
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
