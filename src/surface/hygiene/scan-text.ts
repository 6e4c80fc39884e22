/**
 * Scans one text a server hands the model (a description, a title, the instructions) for every
 * hygiene rule: hidden characters, instructions aimed at the model (also when split by hidden
 * characters), encoded payloads and suspicious URLs. Bounded: only MAX_SCAN_CHARS of the text are
 * read (a longer text is an `oversized-text` finding), at most `limit` findings come back.
 */
import { codePointOffset, excerptAt } from './excerpt.js';
import { findHiddenRuns } from './hidden-unicode.js';
import { findPhrases } from './instruction-phrases.js';
import { findPayloads } from './payloads.js';
import { skeleton } from './skeleton.js';
import { type HygieneFinding, MAX_FINDINGS_PER_TOOL, MAX_SCAN_CHARS, type TextPlace } from './types.js';

export function scanText(place: TextPlace, text: string, limit = MAX_FINDINGS_PER_TOOL): HygieneFinding[] {
  if (limit <= 0 || text.length === 0) return [];
  const out: (HygieneFinding & { index: number })[] = [];
  let scanned = text;
  if (text.length > MAX_SCAN_CHARS) {
    // Do not cut a surrogate pair in half.
    let cut = MAX_SCAN_CHARS;
    const last = text.charCodeAt(cut - 1);
    if (last >= 0xd800 && last <= 0xdbff) cut--;
    scanned = text.slice(0, cut);
    out.push({
      ...place,
      rule: 'oversized-text',
      index: cut,
      offset: codePointOffset(text, cut),
      detail: `${text.length} characters; only the first ${cut} were scanned`,
      excerpt: excerptAt(text, cut),
    });
  }
  for (const run of findHiddenRuns(scanned, limit)) {
    out.push({
      ...place,
      rule: 'hidden-unicode',
      index: run.index,
      offset: run.offset,
      detail: run.detail,
      excerpt: run.excerpt,
    });
  }
  const skel = skeleton(scanned);
  for (const match of findPhrases(skel.text, limit)) {
    const index = skel.source[match.start] ?? 0;
    out.push({
      ...place,
      rule: 'model-instruction',
      index,
      offset: codePointOffset(scanned, index),
      detail: match.label,
      excerpt: excerptAt(scanned, index),
    });
  }
  for (const payload of findPayloads(scanned, limit)) {
    out.push({
      ...place,
      rule: payload.rule,
      index: payload.index,
      offset: codePointOffset(scanned, payload.index),
      detail: payload.detail,
      excerpt: excerptAt(scanned, payload.index),
    });
  }
  out.sort((a, b) => a.index - b.index || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
  return out.slice(0, limit).map(({ index: _index, ...finding }) => finding);
}
