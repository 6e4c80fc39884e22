/**
 * A client's entry for an HTTP server that a `process` or `container` target of the same
 * environment runs points at that server: when the run verified the server, the entry's health is
 * that verification too (it is the same server at the same address), so the laptop entry's health
 * refreshes whenever the server's does, without speaking MCP to it twice.
 */
import type { TargetRun } from './types.js';

export function shareVerifications(runs: readonly TargetRun[]): void {
  for (const run of runs) {
    if (run.provider !== 'client-config') continue;
    for (const result of run.results) {
      if (run.verified.has(result.server) || result.outcome === 'failed' || result.outcome === 'rolled-back')
        continue;
      const source = runs.find(
        (other) =>
          other !== run &&
          other.environment === run.environment &&
          other.provider !== 'client-config' &&
          other.verified.has(result.server),
      );
      const check = source?.verified.get(result.server);
      if (check) run.verified.set(result.server, check);
    }
  }
}
