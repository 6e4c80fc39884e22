/**
 * Plan warnings for plaintext secrets the observation found in entries mcp-gitops does not manage
 * (`ObservedTarget.findings`): one per key, naming the file, client, entry and key path, never the
 * value. They change no plan and fail nothing (only `plan --strict`, which fails on any warning).
 */
import type { PlanWarning } from '../core/plan.js';
import type { ObservedTarget, PlaintextSecretFinding } from '../core/state.js';

export const PLAINTEXT_HINT =
  'move the value to an environment variable and reference it in the entry, or adopt the entry into the repo with its secret as a reference (secrets: [{ name, ref }])';

export function plaintextWarnings(observed: readonly ObservedTarget[]): PlanWarning[] {
  return observed.flatMap((o) =>
    (o.findings ?? []).map((f) => ({
      code: 'plaintext-secret' as const,
      environment: o.environment,
      target: o.target,
      message: describePlaintextFinding(f),
      hint: PLAINTEXT_HINT,
    })),
  );
}

/** `~/.cursor/mcp.json: cursor entry "github" holds a plaintext secret at env.GITHUB_TOKEN (looks like …)`. */
export function describePlaintextFinding(f: PlaintextSecretFinding): string {
  // The entry name is the user's text: quoted as JSON, so no control character reaches a terminal.
  return `${f.file}: ${f.client} entry ${JSON.stringify(f.entry)} holds a plaintext secret at ${f.path} (${f.reason})`;
}
