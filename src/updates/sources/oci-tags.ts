/**
 * Which of an image's tags are worth a closer look. A repository may hold thousands of tags, and
 * reading a tag's digest and publish time costs several requests, so only tags that read as
 * versions newer than the pinned one are looked at, newest first, at most a few per image. Other
 * tags (`latest`, `main`, `sha-abc`) are still listed: the update policy decides what they mean.
 * Pure: no I/O.
 */
import semver from 'semver';
import { TAG } from './oci-reference.js';

/** A tag read as a version: `1.2.3`, `v1.2.3`, `1.2`, `v2`, `1.2.3-rc.1`; otherwise `undefined`. */
export function tagVersion(tag: string): string | undefined {
  const m = /^v?(\d{1,9})(?:\.(\d{1,9}))?(?:\.(\d{1,9}))?(-[0-9A-Za-z.-]+)?$/.exec(tag);
  if (m === null) return undefined;
  return semver.valid(`${m[1]}.${m[2] ?? '0'}.${m[3] ?? '0'}${m[4] ?? ''}`) ?? undefined;
}

/** The tags a registry listed, well formed and once each, in the registry's order. */
export function cleanTags(tags: readonly unknown[]): string[] {
  const seen = new Set<string>();
  for (const tag of tags) if (typeof tag === 'string' && TAG.test(tag)) seen.add(tag);
  return [...seen];
}

/**
 * Tags newer than `currentTag` as versions, at most `limit`: first the newest stable tag of the
 * pin's minor line, of its major line and overall (so a policy of `allow: patch` or `minor` finds
 * its candidate among them even when many majors are newer), then the rest newest first. With no
 * current tag (a bare digest pin, or a tag that is not a version) the newest `limit` version tags.
 */
export function candidateTags(
  tags: readonly string[],
  currentTag: string | undefined,
  limit: number,
): string[] {
  const current = currentTag === undefined ? undefined : tagVersion(currentTag);
  const versions = tags
    .map((tag) => ({ tag, version: tagVersion(tag) }))
    .filter((t): t is { tag: string; version: string } => t.version !== undefined)
    .filter((t) => current === undefined || semver.gt(t.version, current));
  versions.sort((a, b) => semver.rcompare(a.version, b.version) || a.tag.localeCompare(b.tag));
  const picks: string[] = [];
  const add = (tag: string | undefined) => {
    if (tag !== undefined && picks.length < limit && !picks.includes(tag)) picks.push(tag);
  };
  const stable = versions.filter((t) => semver.prerelease(t.version) === null);
  if (current !== undefined) {
    const [major, minor] = [semver.major(current), semver.minor(current)];
    add(stable.find((t) => semver.major(t.version) === major && semver.minor(t.version) === minor)?.tag);
    add(stable.find((t) => semver.major(t.version) === major)?.tag);
  }
  add(stable[0]?.tag);
  for (const t of versions) add(t.tag);
  return picks;
}
