/**
 * `minimumReleaseAge`: a duration written with days (`3d`, `12h`, `90m`, `1d12h`), and the same
 * durations written back for people (`5h`, `2d 3h`). parse-duration.ts (the CLI's) stops at hours
 * and throws usage errors naming an option; a policy needs days and a message validation can place.
 */

const UNIT_MS = { w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000 } as const;
const PART = /(\d{1,6})(w|d|h|m|s)/g;

/** Milliseconds, or undefined when `text` is not such a duration. `0` and `0d` mean no minimum. */
export function parseReleaseAge(text: string): number | undefined {
  if (typeof text !== 'string') return undefined;
  const trimmed = text.trim();
  if (trimmed === '' || trimmed.length > 40) return undefined;
  if (trimmed === '0') return 0;
  let total = 0;
  let consumed = '';
  for (const m of trimmed.matchAll(PART)) {
    total += Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
    consumed += m[0];
  }
  return consumed === trimmed && Number.isSafeInteger(total) ? total : undefined;
}

/** `3d`, `5h 10m`, `40s`: the two largest units, for messages. */
export function formatAge(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '0s';
  const parts: string[] = [];
  let rest = Math.floor(ms / 1000) * 1000;
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    const n = Math.floor(rest / UNIT_MS[unit]);
    if (n > 0 || (unit === 's' && parts.length === 0)) parts.push(`${n}${unit}`);
    rest -= n * UNIT_MS[unit];
    if (parts.length === 2) break;
  }
  return parts.join(' ');
}
