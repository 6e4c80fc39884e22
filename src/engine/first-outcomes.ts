/**
 * A target run's outcome by server, the first result of each: what `results.find(server)` gave,
 * looked up in constant time. Callers that asked it once per change were quadratic in the
 * servers of a target (10^8 comparisons at 10,000).
 */
import type { ChangeResult } from '../core/report.js';

export function firstOutcomes(results: readonly ChangeResult[]): Map<string, ChangeResult['outcome']> {
  const out = new Map<string, ChangeResult['outcome']>();
  for (const r of results) if (!out.has(r.server)) out.set(r.server, r.outcome);
  return out;
}
