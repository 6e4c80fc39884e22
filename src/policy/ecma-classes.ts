/**
 * ECMA-262's character classes and Unicode properties written in RE2 syntax (translate-pattern.ts
 * uses them), where the two engines differ: `\s` and `.` are ECMA-262's whitespace and line
 * terminators (RE2's are ASCII only), members are written as code points (`\x{…}`) so that nothing
 * reads as RE2-only syntax, and property names are the ones RE2 knows.
 */
import { re2 } from './load-re2.js';

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

export function hex(cp: number): string {
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

export const SPACE_RANGES = ranges(SPACE);
export const NON_SPACE_RANGES = ranges(complement(SPACE));
export const DOT = `[^${ranges(LINE_TERMINATORS)}]`;
export const ANY_RANGE = `${hex(0)}-${hex(MAX_CODE_POINT)}`;

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
export function re2KnowsProperty(name: string): boolean {
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

/** `\p{Script=Greek}`, `\p{gc=Letter}`, `\p{Lu}` → RE2's `\p{Greek}`, `\p{L}`, `\p{Lu}`. */
export function propertyName(body: string): string {
  const m = /^(Script|sc|General_Category|gc)=(.+)$/.exec(body);
  const name = m ? m[2]! : body;
  const script = m && (m[1] === 'Script' || m[1] === 'sc');
  return (!script && Object.hasOwn(CATEGORY, name) ? CATEGORY[name] : undefined) ?? name;
}
