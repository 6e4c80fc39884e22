/**
 * The words of each preflight finding (pure): what is wrong, what to do, and where in the YAML.
 * A secret is named by its variable and its reference, never by a value (checks never see one).
 */
import type { SourceLocation } from '../core/config-set.js';
import type { PlanWarning } from '../core/plan.js';
import type { SecretCheck } from '../secrets/types.js';
import type { RuntimeItem, SecretItem, StalledItem } from './plan-checks.js';

export function secretWarning(item: SecretItem, check: SecretCheck, source?: SourceLocation): PlanWarning {
  return {
    code: 'secret-unresolved',
    environment: item.environment,
    target: item.target,
    server: item.server,
    message: `secret ${item.name} (${item.ref}) does not resolve: ${check.reason}`,
    ...(check.hint ? { hint: check.hint } : {}),
    ...(source ? { source } : {}),
  };
}

export function runtimeMissingWarning(item: RuntimeItem, source?: SourceLocation): PlanWarning {
  const what = item.program.includes('/')
    ? `${item.program} is not an executable file on ${item.host}`
    : `${item.program} is not on the PATH of ${item.host}`;
  return {
    code: 'runtime-missing',
    environment: item.environment,
    target: item.target,
    server: item.server,
    message: `${what}: ${item.why}`,
    hint: item.hint,
    ...(source ? { source } : {}),
  };
}

export function runtimeUncheckedWarning(
  item: RuntimeItem,
  reason: string,
  source?: SourceLocation,
): PlanWarning {
  return {
    code: 'runtime-unchecked',
    environment: item.environment,
    target: item.target,
    server: item.server,
    message: `could not check for ${item.program} on ${item.host}: ${reason}`,
    hint: `${item.why}; check that it is installed there`,
    ...(source ? { source } : {}),
  };
}

export function unreachableWarning(item: StalledItem, source?: SourceLocation): PlanWarning {
  return {
    code: 'target-unreachable',
    environment: item.environment,
    target: item.target,
    message: `the target could not be observed: ${item.reason}`,
    hint: item.retired
      ? 'the target was removed from the repo; its servers are left as they are until it answers'
      : 'nothing is planned for this target until it answers: check that the host is up and reachable from here',
    ...(source ? { source } : {}),
  };
}
