/**
 * Characters a person reviewing a description cannot see but a model reads: Unicode tag
 * characters (U+E0000–U+E007F, "ASCII smuggling"), zero-width characters, bidi controls (text that
 * displays in another order than it is read), other format (Cf) characters, variation selectors
 * used to hide bytes, Hangul fillers, and control characters other than tab and newline.
 * One pass over the code points; a run of hidden characters is one finding.
 */
import { codePointOffset, excerptAt } from './excerpt.js';

export type HiddenKind =
  | 'tag'
  | 'zero-width'
  | 'bidi'
  | 'format'
  | 'variation-selector'
  | 'filler'
  | 'control';

const KIND_WORDS: Record<HiddenKind, [string, string]> = {
  tag: ['Unicode tag character', 'Unicode tag characters'],
  'zero-width': ['zero-width character', 'zero-width characters'],
  bidi: ['bidirectional control', 'bidirectional controls'],
  format: ['invisible format character', 'invisible format characters'],
  'variation-selector': ['variation selector', 'variation selectors'],
  filler: ['invisible filler character', 'invisible filler characters'],
  control: ['control character', 'control characters'],
};

const FORMAT = /^\p{Cf}$/u;

/** The kind of a hidden code point, or undefined for a visible one (tab, newline, CR are visible). */
export function hiddenKind(cp: number): HiddenKind | undefined {
  if (cp < 0x80) {
    if (cp === 0x09 || cp === 0x0a || cp === 0x0d) return undefined;
    return cp < 0x20 || cp === 0x7f ? 'control' : undefined;
  }
  if (cp >= 0x80 && cp < 0xa0) return 'control';
  if (cp >= 0xe0000 && cp <= 0xe007f) return 'tag';
  if ((cp >= 0x200b && cp <= 0x200d) || cp === 0x2060 || cp === 0xfeff) return 'zero-width';
  if (
    (cp >= 0x202a && cp <= 0x202e) ||
    (cp >= 0x2066 && cp <= 0x2069) ||
    cp === 0x200e ||
    cp === 0x200f ||
    cp === 0x061c
  )
    return 'bidi';
  // FE0E/FE0F choose text or emoji presentation after an emoji: ordinary, not hidden.
  if ((cp >= 0xfe00 && cp <= 0xfe0d) || (cp >= 0xe0100 && cp <= 0xe01ef)) return 'variation-selector';
  if (cp === 0x115f || cp === 0x1160 || cp === 0x3164 || cp === 0xffa0) return 'filler';
  if (FORMAT.test(String.fromCodePoint(cp))) return 'format';
  return undefined;
}

export interface HiddenRun {
  /** UTF-16 index of the run's first character. */
  index: number;
  offset: number;
  detail: string;
  excerpt: string;
}

function hex(cp: number): string {
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Runs of hidden characters in `text`, at most `limit` of them (scanning stops there). */
export function findHiddenRuns(text: string, limit: number): HiddenRun[] {
  const runs: HiddenRun[] = [];
  let i = 0;
  while (i < text.length && runs.length < limit) {
    const cp = text.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    const kind = hiddenKind(cp);
    if (!kind) {
      i += width;
      continue;
    }
    const start = i;
    const counts = new Map<HiddenKind, number>();
    const first = new Map<HiddenKind, number>();
    let j = i;
    while (j < text.length) {
      const c = text.codePointAt(j)!;
      const k = hiddenKind(c);
      if (!k) break;
      counts.set(k, (counts.get(k) ?? 0) + 1);
      if (!first.has(k)) first.set(k, c);
      j += c > 0xffff ? 2 : 1;
    }
    const parts = [...counts].map(
      ([k, n]) => `${n} ${KIND_WORDS[k][n === 1 ? 0 : 1]} (${hex(first.get(k)!)}${n > 1 ? '…' : ''})`,
    );
    runs.push({
      index: start,
      offset: codePointOffset(text, start),
      detail: parts.join(', '),
      excerpt: excerptAt(text, start),
    });
    i = j;
  }
  return runs;
}
