/**
 * A word-level diff of two texts (a tool description before and after), for people to see what a
 * server reworded. Longest common subsequence over words and whitespace after trimming the common
 * start and end; bounded: past MAX_TOKENS differing words on either side the middle is shown as one
 * replacement rather than spending quadratic time on hostile input.
 */

export type WordPart = { op: 'same' | 'removed' | 'added'; text: string };

export const MAX_TOKENS = 1500;

function tokens(text: string): string[] {
  return text.match(/\s+|[^\s]+/g) ?? [];
}

function push(parts: WordPart[], op: WordPart['op'], text: string): void {
  if (text === '') return;
  const last = parts.at(-1);
  if (last?.op === op) last.text += text;
  else parts.push({ op, text });
}

/** The parts of `after` against `before`: runs of equal, removed and added text, in order. */
export function wordDiff(before: string, after: string): WordPart[] {
  const a = tokens(before);
  const b = tokens(after);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const parts: WordPart[] = [];
  push(parts, 'same', a.slice(0, start).join(''));
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  if (midA.length > MAX_TOKENS || midB.length > MAX_TOKENS || midA.length === 0 || midB.length === 0) {
    push(parts, 'removed', midA.join(''));
    push(parts, 'added', midB.join(''));
  } else {
    for (const part of lcsParts(midA, midB)) push(parts, part.op, part.text);
  }
  push(parts, 'same', a.slice(endA).join(''));
  return parts;
}

function lcsParts(a: string[], b: string[]): WordPart[] {
  const n = a.length;
  const m = b.length;
  // lengths[i][j] = LCS of a[i..] and b[j..], row-major in one typed array.
  const lengths = new Uint16Array((n + 1) * (m + 1));
  const at = (i: number, j: number) => i * (m + 1) + j;
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lengths[at(i, j)] =
        a[i] === b[j]
          ? (lengths[at(i + 1, j + 1)] ?? 0) + 1
          : Math.max(lengths[at(i + 1, j)] ?? 0, lengths[at(i, j + 1)] ?? 0);
  const out: WordPart[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      out.push({ op: 'same', text: a[i++] as string });
      j++;
    } else if ((lengths[at(i + 1, j)] ?? 0) >= (lengths[at(i, j + 1)] ?? 0))
      out.push({ op: 'removed', text: a[i++] as string });
    else out.push({ op: 'added', text: b[j++] as string });
  }
  while (i < n) out.push({ op: 'removed', text: a[i++] as string });
  while (j < m) out.push({ op: 'added', text: b[j++] as string });
  return out;
}
