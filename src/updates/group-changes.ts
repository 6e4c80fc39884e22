/**
 * Which pull requests a run of `updates --open-prs` makes, pure: every server with a proposed
 * release is one change, except servers whose policy names a `group`, which share one change per
 * group (one branch, one commit, one pull request for all of them, as Renovate groups do).
 * Sorted by name, the updates inside by server, so the same report always gives the same changes.
 */
import type { ServerUpdates, UpdateChange, UpdatesReport } from './types.js';

function byString(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A server update that can become a commit: a proposal, a known place to write it, no error. */
export function isProposed(update: ServerUpdates): boolean {
  return update.proposed !== undefined && update.location !== undefined && update.error === undefined;
}

export function groupChanges(report: Pick<UpdatesReport, 'servers'>): UpdateChange[] {
  const changes = new Map<string, UpdateChange>();
  for (const update of report.servers) {
    if (!isProposed(update)) continue;
    const group = update.policy.group;
    // A server pinned per environment has one entry each: they are one change, on one branch.
    const key = group === undefined ? `server\0${update.server}` : `group\0${group}`;
    const change = changes.get(key) ?? {
      name: group ?? update.server,
      ...(group === undefined ? {} : { group }),
      updates: [],
    };
    change.updates.push(update);
    changes.set(key, change);
  }
  for (const change of changes.values()) {
    change.updates.sort(
      (a, b) =>
        byString(a.server, b.server) ||
        byString(a.location?.file ?? '', b.location?.file ?? '') ||
        (a.location?.line ?? 0) - (b.location?.line ?? 0),
    );
  }
  // A group and a server of the same name would share a branch: the group sorts first and the
  // branch check in open-update-prs.ts refuses the second user of one branch.
  return [...changes.values()].sort(
    (a, b) => byString(a.name, b.name) || Number(b.group !== undefined) - Number(a.group !== undefined),
  );
}

/** `server@pin` of every proposal in a change, sorted and without repeats (the marker and the outcome use it). */
export function changeVersions(change: UpdateChange): string[] {
  return [...new Set(change.updates.map((u) => `${u.server}@${u.proposed?.pin ?? ''}`))].sort(byString);
}
