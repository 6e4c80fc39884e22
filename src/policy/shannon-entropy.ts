import { isFilePath } from './secret-value.js';

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

/** 8-4-4-4-12 hex digits: random by construction, though its dashes can pull its entropy under the bar. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Every run of letters and digits is all lowercase or all uppercase letters. */
function onlyWords(value: string): boolean {
  for (const run of value.match(/[A-Za-z0-9]+/g) ?? []) if (!/^(?:[a-z]+|[A-Z]+)$/.test(run)) return false;
  return true;
}

/**
 * A value that is long and random enough to be a credential rather than a word, path or URL.
 * Used for keys whose name alone does not say "credential" (secret-like-key.ts); a UUID always
 * counts, so that whether one is caught does not depend on its digits.
 */
export function looksRandom(value: string): boolean {
  if (value.length < MIN_SECRET_LENGTH) return false;
  if (UUID.test(value)) return true;
  // Words joined by punctuation (`user:{id}:profile`, `CREATED_AT_DESC`) are names, not keys: a
  // random key of 16+ characters has a run that mixes cases or holds a digit.
  if (onlyWords(value)) return false;
  if (/\s/.test(value)) return false;
  // A path, but not any value that starts with `/`: one in 64 random base64 keys does.
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value) || isFilePath(value)) return false;
  const threshold = /^[0-9a-f]+$/i.test(value) ? HEX_ENTROPY_THRESHOLD : ENTROPY_THRESHOLD;
  return shannonEntropy(value) >= threshold;
}
