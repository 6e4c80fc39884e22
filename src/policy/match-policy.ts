/** Whether a policy's `match` selects a subject: every given criterion must hold. */
import type { PolicySpec } from '../core/resources.js';
import type { PolicySubject } from './policy-subjects.js';
import { effectiveHints } from './tool-subjects.js';

/** `spec.match` as schemas/policy.schema.json defines it. */
export type PolicyMatch = PolicySpec['match'];

export function matchesPolicy(match: PolicyMatch | undefined, subject: PolicySubject): boolean {
  if (!match) return true;
  if (match.kinds && !(match.kinds as readonly string[]).includes(subject.kind)) return false;
  if (match.names && !match.names.includes(subject.name)) return false;
  if (match.servers && (subject.server === undefined || !match.servers.includes(subject.server)))
    return false;
  if (match.labels && !Object.entries(match.labels).every(([k, v]) => subject.labels[k] === v)) return false;
  if (match.environments) {
    if (!subject.environments) return false;
    if (!subject.environments.some((e) => match.environments!.includes(e))) return false;
  }
  if (match.annotations) {
    // Tool annotations (MCP hints, the specification's defaults filled in): only Tools have them.
    if (subject.kind !== 'Tool') return false;
    const hints = effectiveHints(
      (subject.resource as { spec?: { annotations?: unknown } }).spec?.annotations,
    );
    if (!Object.entries(match.annotations).every(([k, v]) => hints[k] === v)) return false;
  }
  return true;
}
