/** `500ms`, `30s`, `5m`, `1h` (or a combination like `1m30s`) → milliseconds. */
import { McpGitopsError } from '../core/errors.js';

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;

export function parseDuration(text: string, option: string): number {
  const trimmed = text.trim();
  let total = 0;
  let consumed = '';
  for (const m of trimmed.matchAll(PART)) {
    total += Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
    consumed += m[0];
  }
  if (trimmed === '' || consumed !== trimmed || !Number.isFinite(total) || total <= 0) {
    throw new McpGitopsError('ERR_USAGE', `${option} ${text}: not a duration`, {
      hint: 'write a number with a unit: 500ms, 30s, 5m, 1h (or 1m30s)',
    });
  }
  return Math.round(total);
}
