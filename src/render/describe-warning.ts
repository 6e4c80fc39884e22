/**
 * How a preflight warning reads, shared by the text and Markdown plans (and by anything else that
 * prints a plan's warnings on one line): `FILE:LINE:COL: warning: ENV/TARGET/SERVER: MESSAGE [code]`,
 * the shape of a validation diagnostic, so editors and CI jump to the line.
 */
import type { Plan, PlanWarning, PlanWarningCode } from '../core/plan.js';

/** `dev/laptop/fetch`, or `dev/laptop` for a warning about the whole target. */
export function warningSubject(w: PlanWarning): string {
  return [w.environment, w.target, ...(w.server === undefined ? [] : [w.server])].join('/');
}

/** `servers/fetch.yaml:7:17`, or undefined when the YAML behind it is not known. */
export function warningLocation(w: PlanWarning): string | undefined {
  return w.source ? `${w.source.file}:${w.source.line}:${w.source.col}` : undefined;
}

/** The one-line form, without the hint. */
export function formatPlanWarning(w: PlanWarning): string {
  const where = warningLocation(w);
  return `${where ? `${where}: ` : ''}warning: ${warningSubject(w)}: ${w.message} [${w.code}]`;
}

/**
 * What a pull request's comment says instead of the message (which may quote what a host or the
 * reconciler's environment answered): a fixed phrase per kind.
 */
export const UNTRUSTED_WARNING: Record<PlanWarningCode, string> = {
  'secret-unresolved': 'a secret reference would not resolve',
  'runtime-missing': 'a program the server needs is missing on the host',
  'runtime-unchecked': 'a program the server needs could not be checked on the host',
  'target-unreachable': 'the target could not be observed',
  'plaintext-secret': 'a client entry mcp-gitops does not manage holds a plaintext secret',
};

/** True when the plan has warnings that `plan --strict` fails on. */
export function hasWarnings(plan: Plan): boolean {
  return (plan.warnings?.length ?? 0) > 0;
}
