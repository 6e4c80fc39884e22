/** Whether a policy's `match` selects a subject: every given criterion must hold. */
import type { PolicySpec } from '../core/resources.js';
import type { PolicySubject } from './policy-subjects.js';

export function matchesPolicy(match: PolicySpec['match'] | undefined, subject: PolicySubject): boolean {
  if (!match) return true;
  if (match.kinds && !match.kinds.includes(subject.kind as never)) return false;
  if (match.names && !match.names.includes(subject.name)) return false;
  if (match.labels && !Object.entries(match.labels).every(([k, v]) => subject.labels[k] === v)) return false;
  if (match.environments) {
    if (!subject.environments) return false;
    if (!subject.environments.some((e) => match.environments!.includes(e))) return false;
  }
  return true;
}
