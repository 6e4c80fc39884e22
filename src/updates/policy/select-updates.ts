/**
 * Which of a registry's releases a policy proposes, and why each other newer one is held back.
 * Pure and total: releases that are not versions of this kind (an OCI `latest` tag) or not newer
 * than the pin are left out; every newer one is either allowed or held with a reason a person can
 * act on (`too young (published 5h ago; minimum 3d)`). Both lists come newest first.
 */
import type { HeldRelease, Release, SourceKind, UpdatePolicy } from '../types.js';
import { formatAge } from './release-age.js';
import {
  allowsBump,
  bumpOf,
  compareParsed,
  ignoreMatches,
  type ParsedVersion,
  parseVersion,
  sameRelease,
} from './versions.js';

export interface Selection {
  allowed: Release[];
  held: HeldRelease[];
}

/**
 * `current` is the pinned version (an OCI pin may carry its digest). Throws when the pin itself is
 * not a version of this kind: the caller reports that on the server.
 */
export function selectUpdates(
  current: string,
  releases: readonly Release[],
  policy: UpdatePolicy,
  now: Date,
  kind: SourceKind,
): Selection {
  const pinned = parseVersion(kind, current);
  if (!pinned) throw new Error(`the pinned version is not a version mcp-gitops can compare for ${kind}`);
  const newer: { release: Release; parsed: ParsedVersion }[] = [];
  const seen = new Set<string>();
  for (const release of releases) {
    const parsed = parseVersion(kind, release.version);
    if (!parsed || compareParsed(parsed, pinned) <= 0 || seen.has(release.version)) continue;
    seen.add(release.version);
    newer.push({ release, parsed });
  }
  newer.sort((a, b) => compareParsed(b.parsed, a.parsed));
  const allowed: Release[] = [];
  const held: HeldRelease[] = [];
  for (const { release, parsed } of newer) {
    const reason = holdReason(release, parsed, pinned, policy, now, kind);
    if (reason) held.push({ version: release.version, ...reason });
    else allowed.push(release);
  }
  return { allowed, held };
}

function holdReason(
  release: Release,
  parsed: ParsedVersion,
  pinned: ParsedVersion,
  policy: UpdatePolicy,
  now: Date,
  kind: SourceKind,
): Omit<HeldRelease, 'version'> | undefined {
  if (release.withdrawn) return { reason: 'withdrawn', detail: 'deprecated or yanked by its publisher' };
  const entry = policy.ignore.find((e) => ignoreMatches(e, parsed));
  if (entry !== undefined) return { reason: 'ignored', detail: `ignored by "${entry}"` };
  // A pin that is itself a prerelease may move to later prereleases of the same release (as Renovate).
  if (parsed.prerelease && !policy.prereleases && !(pinned.prerelease && sameRelease(parsed, pinned))) {
    return { reason: 'prerelease', detail: 'a prerelease (set prereleases: true to include them)' };
  }
  const bump = bumpOf(pinned, parsed);
  if (policy.allow === 'none' || !allowsBump(policy.allow, bump)) {
    return { reason: 'not-allowed', detail: `a ${bump} update; the policy allows ${policy.allow}` };
  }
  if (policy.requireDigest && kind === 'oci' && !release.digest) {
    return { reason: 'no-digest', detail: 'the registry gave no digest and digests are required' };
  }
  if (policy.minimumReleaseAgeMs > 0) {
    const minimum = formatAge(policy.minimumReleaseAgeMs);
    const published = release.publishedAt ? Date.parse(release.publishedAt) : Number.NaN;
    if (Number.isNaN(published)) {
      return { reason: 'too-young', detail: `publish time unknown; minimum ${minimum}` };
    }
    const age = now.getTime() - published;
    if (age < policy.minimumReleaseAgeMs) {
      return {
        reason: 'too-young',
        detail: `published ${formatAge(Math.max(0, age))} ago; minimum ${minimum}`,
      };
    }
  }
  return undefined;
}
