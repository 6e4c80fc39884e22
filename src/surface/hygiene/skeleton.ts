/**
 * The text as a model "reads" it, for phrase matching: hidden characters dropped (so "ig\u200bnore"
 * is "ignore"), compatibility forms folded (fullwidth "ｉｇｎｏｒｅ" is "ignore"), lower case, every
 * run of whitespace one space. Each unit of the skeleton remembers the UTF-16 index of the source
 * character it came from, so a match is reported at its place in the original text.
 */
import { hiddenKind } from './hidden-unicode.js';

export interface Skeleton {
  text: string;
  /** `source[i]`: UTF-16 index in the original text of the skeleton's unit `i`. */
  source: number[];
}

const WHITESPACE = /^\s$/u;

export function skeleton(text: string): Skeleton {
  const units: string[] = [];
  const source: number[] = [];
  let lastSpace = true; // no leading space
  let i = 0;
  while (i < text.length) {
    const cp = text.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    const at = i;
    i += width;
    if (hiddenKind(cp) && cp !== 0x0b && cp !== 0x0c) continue;
    if (cp < 0x80) {
      if (cp === 0x20 || (cp >= 0x09 && cp <= 0x0d)) {
        if (!lastSpace) {
          units.push(' ');
          source.push(at);
          lastSpace = true;
        }
        continue;
      }
      const lower = cp >= 0x41 && cp <= 0x5a ? cp + 0x20 : cp;
      units.push(String.fromCharCode(lower));
      source.push(at);
      lastSpace = false;
      continue;
    }
    const ch = String.fromCodePoint(cp);
    if (WHITESPACE.test(ch)) {
      if (!lastSpace) {
        units.push(' ');
        source.push(at);
        lastSpace = true;
      }
      continue;
    }
    const folded = ch.normalize('NFKC').toLowerCase();
    for (let k = 0; k < folded.length; k++) {
      units.push(folded[k]!);
      source.push(at);
    }
    lastSpace = false;
  }
  return { text: units.join(''), source };
}
