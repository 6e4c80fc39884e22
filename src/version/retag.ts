/**
 * A release tag whose name someone else took first (the same `<env>/vX.Y.Z` pushed at another
 * commit) is renamed to the next free version rather than dropped: the highest version of its
 * prefix among the tags known, raised by the tag's own bump (the level recorded in its message),
 * skipping names already taken. Pure: the caller lists the tags and moves the refs.
 */
import semver from 'semver';
import type { Bump } from './next-version.js';

export interface VersionTag {
  prefix: string;
  version: string;
}

const VERSION_AT_END = /^(.*?)(\d+\.\d+\.\d+)$/;

/** `dev/v1.2.3` → `{ prefix: 'dev/v', version: '1.2.3' }`; undefined unless it ends in a release version. */
export function splitVersionTag(name: string): VersionTag | undefined {
  const m = VERSION_AT_END.exec(name);
  if (!m || semver.valid(m[2] as string) === null) return undefined;
  return { prefix: m[1] as string, version: m[2] as string };
}

/**
 * The bump a release tag recorded (`minor: server memory on laptop added`); patch when it recorded
 * none. A first release (`major: first release of dev`) counts as minor: what it ships are servers
 * and targets added, and someone else's release now comes before it.
 */
export function recordedBump(message: string): Bump {
  for (const line of message.split('\n')) {
    const m = /^(major|minor|patch): (.*)$/.exec(line.trim());
    if (!m) continue;
    if (/^first release of /.test(m[2] as string)) return 'minor';
    return m[1] as Bump;
  }
  return 'patch';
}

/**
 * The next free name for `name` (taken), bumping by `bump` from the highest release of its prefix
 * in `known` (the remote's tags and the local ones); undefined when `name` is not a version tag.
 */
export function nextFreeTag(name: string, bump: Bump, known: Iterable<string>): string | undefined {
  const own = splitVersionTag(name);
  if (!own) return undefined;
  const taken = new Set(known);
  taken.add(name);
  const versions = [...taken]
    .map(splitVersionTag)
    .filter((t): t is VersionTag => t !== undefined && t.prefix === own.prefix)
    .map((t) => t.version);
  let version = semver.rsort(versions)[0] ?? own.version;
  for (let i = 0; i < 1000; i++) {
    version = semver.inc(version, bump) as string;
    const candidate = `${own.prefix}${version}`;
    if (!taken.has(candidate)) return candidate;
  }
  return undefined;
}

/** The tag message for the renamed tag: its version in the first line, and a line saying why. */
export function retagMessage(message: string, from: string, to: string, why: string): string {
  const a = splitVersionTag(from);
  const b = splitVersionTag(to);
  const lines = message.replace(/\n+$/, '').split('\n');
  if (a && b && lines[0] !== undefined) lines[0] = lines[0].replace(a.version, b.version);
  return `${lines.join('\n')}\nretagged: ${from} ${why}; this release is ${to}\n`;
}
