/**
 * One desired server against what was observed of it: create when missing, update `spec` when the
 * repo changed it, update `drift` when the target no longer matches the provider's rendering of
 * it, noop otherwise. Spec changes win over drift (applying the new spec also repairs drift).
 */
import type { Change } from '../core/plan.js';
import type { DriftMode } from '../core/resources.js';
import type { DesiredServer, ObservedServer } from '../core/state.js';
import { normalizeServerSpec } from '../resolve/normalize-server.js';
import { canonicalEqual } from './canonical.js';
import { diffFields } from './diff-fields.js';

export interface ServerPlanInput {
  environment: string;
  target: string;
  desired: DesiredServer;
  observed: ObservedServer | undefined;
  driftMode: DriftMode;
  /** The provider's comparable form of `desired`; only called when the spec is unchanged. */
  render: () => Record<string, unknown>;
}

export function planServer(input: ServerPlanInput): Change {
  const { desired, observed } = input;
  const base = { environment: input.environment, target: input.target, server: desired.name, desired };
  if (!observed) {
    return {
      ...base,
      action: 'create',
      reason: 'missing',
      diffs: diffFields({}, normalizeServerSpec(desired.spec)),
    };
  }
  const withObserved = { ...base, observed };
  if (!sameSpec(desired, observed)) {
    return {
      ...withObserved,
      action: 'update',
      reason: 'spec',
      diffs: diffFields(
        observed.spec ? normalizeServerSpec(observed.spec) : {},
        normalizeServerSpec(desired.spec),
      ),
    };
  }
  if (observed.actual !== undefined) {
    const diffs = diffFields(observed.actual, input.render());
    if (diffs.length > 0) {
      const change: Change = { ...withObserved, action: 'update', reason: 'drift', diffs };
      if (input.driftMode !== 'correct') change.skipApply = true;
      return change;
    }
  }
  return { ...withObserved, action: 'noop', reason: 'in-sync', diffs: [] };
}

/**
 * Equal hashes mean equal specs. Unequal (or unknown) hashes with equal normalized specs (the
 * resolver's normalization: defaults, set order, empty collections) are treated as equal too, so
 * a hash computed differently, or an inventory written before a default existed, never shows as a
 * change with no diff.
 */
function sameSpec(desired: DesiredServer, observed: ObservedServer): boolean {
  if (observed.specHash !== undefined && observed.specHash === desired.specHash) return true;
  if (observed.spec === undefined) return false;
  return canonicalEqual(normalizeServerSpec(observed.spec), normalizeServerSpec(desired.spec));
}
