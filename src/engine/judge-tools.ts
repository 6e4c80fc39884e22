/**
 * Judge a verified server's tool surface against its lock under its `health.tools` mode (the
 * pure rules are src/surface/tools-mode.ts): under `pin`, a surface that differs from the lock, or
 * a version with no lock, turns a healthy verification into a failed one, which the caller rolls
 * back or quarantines like any other failed verification.
 */
import type { DesiredServer } from '../core/state.js';
import { redactor } from '../log/redact.js';
import {
  effectiveToolsMode,
  failsVerification,
  judgeSurface,
  verdictMessage,
} from '../surface/tools-mode.js';
import type { EngineDeps, ServerCheck } from './types.js';

export function judgeTools(
  environment: string,
  server: DesiredServer,
  check: ServerCheck,
  deps: Pick<EngineDeps, 'toolLock'>,
): ServerCheck {
  // Only a server that answered and listed its tools has a surface to judge.
  if (!check.ok || !check.surface) return check;
  const lock = deps.toolLock?.(environment, server);
  const verdict = judgeSurface(effectiveToolsMode(server.spec.health?.tools, lock), lock, check.surface);
  if (verdict.status === 'ignored') return check;
  const judged: ServerCheck = { ...check, toolsVerdict: verdict };
  if (!failsVerification(verdict)) return judged;
  return {
    ...judged,
    ok: false,
    health: 'unhealthy',
    error: redactor.redact(verdictMessage(verdict, server.name, environment)),
  };
}

/** The verification failed because of `health.tools: pin` (not because the server is down). */
export function failedOnTools(check: ServerCheck | undefined): boolean {
  return check?.toolsVerdict !== undefined && !check.ok && failsVerification(check.toolsVerdict);
}
