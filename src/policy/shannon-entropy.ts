/** Shannon entropy in bits per character: ~4+ for random base64, ~3.7 for hex, lower for words. */
export function shannonEntropy(value: string): number {
  if (value.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let entropy = 0;
  const length = [...value].length;
  for (const n of counts.values()) {
    const p = n / length;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}

export const MIN_SECRET_LENGTH = 16;
export const ENTROPY_THRESHOLD = 3.5;
/** Hex strings have at most 4 bits per character; random hex of 16+ chars sits near 3.5-3.9. */
export const HEX_ENTROPY_THRESHOLD = 3.0;

/** A value that is long and random enough to be a credential rather than a word, path or URL. */
export function looksRandom(value: string): boolean {
  if (value.length < MIN_SECRET_LENGTH) return false;
  if (/\s/.test(value)) return false;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value) || value.startsWith('/') || value.startsWith('~/')) return false;
  const threshold = /^[0-9a-f]+$/i.test(value) ? HEX_ENTROPY_THRESHOLD : ENTROPY_THRESHOLD;
  return shannonEntropy(value) >= threshold;
}
