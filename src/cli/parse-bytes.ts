/**
 * Option values people write as sizes and that `--help` shows back: `1048576`, `64KiB`, `16MiB`
 * (K and M are binary too); durations print as `30s` or `250ms`.
 */
import { McpGitopsError } from '../core/errors.js';

const UNIT_BYTES: Record<string, number> = { '': 1, b: 1, k: 1024, kib: 1024, m: 1024 ** 2, mib: 1024 ** 2 };

/** `1048576`, `64KiB`, `16MiB` (K and M are binary too) → bytes, at least 1. */
export function parseBytes(value: string, option: string): number {
  const m = /^(\d+)\s*([a-z]*)$/i.exec(value.trim());
  const n = m ? Number(m[1]) * (UNIT_BYTES[(m[2] ?? '').toLowerCase()] ?? Number.NaN) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new McpGitopsError('ERR_USAGE', `${option} ${value} is not a positive number of bytes`, {
      hint: `e.g. ${option} 1048576 or ${option} 1MiB (KiB and MiB are understood)`,
    });
  }
  return n;
}

export function showBytes(n: number): string {
  if (n % 1024 ** 2 === 0) return `${n / 1024 ** 2}MiB`;
  return n % 1024 === 0 ? `${n / 1024}KiB` : String(n);
}

export function showDuration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
