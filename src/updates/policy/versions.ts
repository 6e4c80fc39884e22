/**
 * Versions as each kind of source writes them, parsed and ordered: npm is semver; PyPI the PEP 440
 * subset that matters (epoch, release segments, a/b/rc, post, dev); OCI tags and MCP registry
 * versions are semver-like with an optional `v` and one to three numbers (`v1.2`, `1.2.3-rc.1`),
 * other tags (`latest`, `alpine`) are not versions. An OCI pin may carry its digest (`1.2.3@sha256:…`).
 * Pure: the selector and the validator call these; nothing here touches a registry.
 */
import { createRequire } from 'node:module';
import type Semver from 'semver';
import type { SourceKind } from '../types.js';

let loaded: typeof Semver | undefined;
/**
 * semver, required on first use: `validate` and every `plan` import this module to check the
 * repository's `updates.ignore` entries, and most repositories have none (~9 ms of loading).
 */
const semver: typeof Semver = new Proxy({} as typeof Semver, {
  get: (_, key) => {
    loaded ??= createRequire(import.meta.url)('semver') as typeof Semver;
    return Reflect.get(loaded, key);
  },
});

export type Bump = 'major' | 'minor' | 'patch';

export interface ParsedVersion {
  /** As written (without an OCI pin's digest). */
  text: string;
  epoch: number;
  /** At least three numbers (missing ones are 0). */
  release: number[];
  prerelease: boolean;
  /** semver: the prerelease identifiers; compare with semver rules. */
  semverText?: string;
  /** PyPI: the order of what follows the release (see pep440Key). */
  pep440?: number[];
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;
const SEMVER_LIKE = /^v?(\d{1,9})(?:\.(\d{1,9}))?(?:\.(\d{1,9}))?(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;
const PEP440 =
  /^(?:(\d{1,4})!)?(\d{1,9}(?:\.\d{1,9}){0,9})(?:(a|b|rc)(\d{1,9}))?(?:\.post(\d{1,9}))?(?:\.dev(\d{1,9}))?$/;
const MAX_VERSION = 128;

/** An OCI pin `tag@sha256:…` → its tag and digest; a bare `sha256:…` has no tag. */
export function splitPin(pin: string): { tag?: string; digest?: string } {
  const at = pin.indexOf('@');
  if (at >= 0) return { tag: pin.slice(0, at), digest: pin.slice(at + 1) };
  if (DIGEST.test(pin)) return { digest: pin };
  return { tag: pin };
}

export function isDigest(text: string): boolean {
  return DIGEST.test(text);
}

export function parseVersion(kind: SourceKind, text: string): ParsedVersion | undefined {
  if (typeof text !== 'string' || text.length === 0 || text.length > MAX_VERSION) return undefined;
  if (kind === 'npm') return parseSemver(text);
  if (kind === 'pypi') return parsePep440(text);
  const tag = kind === 'oci' ? splitPin(text).tag : text;
  return tag === undefined ? undefined : parseSemverLike(tag, text);
}

function parseSemver(text: string): ParsedVersion | undefined {
  const v = semver.parse(text);
  if (!v || v.version !== text.replace(/^v/, '').replace(/\+.*$/, '')) return undefined;
  return {
    text,
    epoch: 0,
    release: [v.major, v.minor, v.patch],
    prerelease: v.prerelease.length > 0,
    semverText: v.version,
  };
}

function parseSemverLike(tag: string, text: string): ParsedVersion | undefined {
  const m = SEMVER_LIKE.exec(tag);
  if (!m) return undefined;
  const release = [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)];
  const semverText = `${release.join('.')}${m[4] ? `-${m[4]}` : ''}`;
  if (!semver.valid(semverText)) return undefined;
  return { text: splitPin(text).tag ?? text, epoch: 0, release, prerelease: m[4] !== undefined, semverText };
}

function parsePep440(text: string): ParsedVersion | undefined {
  const m = PEP440.exec(text.toLowerCase());
  if (!m) return undefined;
  const release = (m[2] as string).split('.').map(Number);
  while (release.length < 3) release.push(0);
  const pre = m[3] ? { phase: ['a', 'b', 'rc'].indexOf(m[3]), n: Number(m[4]) } : undefined;
  const post = m[5] === undefined ? undefined : Number(m[5]);
  const dev = m[6] === undefined ? undefined : Number(m[6]);
  return {
    text,
    epoch: Number(m[1] ?? 0),
    release,
    prerelease: pre !== undefined || dev !== undefined,
    pep440: pep440Key(pre, post, dev),
  };
}

/**
 * PEP 440 order after the release segments: 1.0.dev1 < 1.0a1.dev1 < 1.0a1 < 1.0b1 < 1.0rc1 < 1.0
 * < 1.0.post1.dev1 < 1.0.post1.
 */
function pep440Key(
  pre: { phase: number; n: number } | undefined,
  post: number | undefined,
  dev: number | undefined,
): number[] {
  // phase: -1 a dev release of the final, 0..2 a/b/rc, 3 the final (or a post release).
  const phase = pre ? pre.phase : dev !== undefined && post === undefined ? -1 : 3;
  const devKey = dev === undefined ? Number.MAX_SAFE_INTEGER : dev;
  return [phase, pre?.n ?? 0, post === undefined ? -1 : post, devKey];
}

/** Negative, zero or positive as `a` is older than, the same as, or newer than `b`. */
export function compareParsed(a: ParsedVersion, b: ParsedVersion): number {
  if (a.epoch !== b.epoch) return a.epoch - b.epoch;
  const n = Math.max(a.release.length, b.release.length);
  for (let i = 0; i < n; i++) {
    const d = (a.release[i] ?? 0) - (b.release[i] ?? 0);
    if (d !== 0) return d;
  }
  if (a.pep440 && b.pep440) {
    for (let i = 0; i < a.pep440.length; i++) {
      const d = (a.pep440[i] as number) - (b.pep440[i] as number);
      if (d !== 0) return d;
    }
    return 0;
  }
  if (a.semverText && b.semverText) return semver.compare(a.semverText, b.semverText);
  return 0;
}

/** Whether both are the same release (epoch and numbers), whatever their prerelease parts. */
export function sameRelease(a: ParsedVersion, b: ParsedVersion): boolean {
  if (a.epoch !== b.epoch) return false;
  const n = Math.max(a.release.length, b.release.length);
  for (let i = 0; i < n; i++) if ((a.release[i] ?? 0) !== (b.release[i] ?? 0)) return false;
  return true;
}

/** The size of the step from `from` to a newer `to`: which release number changed first. */
export function bumpOf(from: ParsedVersion, to: ParsedVersion): Bump {
  if (to.epoch !== from.epoch || to.release[0] !== from.release[0]) return 'major';
  if (to.release[1] !== from.release[1]) return 'minor';
  return 'patch';
}

/** The largest bump each `allow` value accepts. */
export function allowsBump(allow: 'none' | Bump, bump: Bump): boolean {
  const rank = { none: 0, patch: 1, minor: 2, major: 3 } as const;
  return rank[bump] <= rank[allow];
}

/** Whether `text` is a version or a semver range an `ignore` entry may hold. */
export function isIgnoreEntry(text: string): boolean {
  if (typeof text !== 'string' || text.trim() === '' || text.length > MAX_VERSION) return false;
  if ((['npm', 'pypi', 'oci'] as const).some((kind) => parseVersion(kind, text) !== undefined)) return true;
  return semver.validRange(text) !== null && /\d/.test(text);
}

/** Whether an `ignore` entry (a version, or a semver range) covers `version`. */
export function ignoreMatches(entry: string, version: ParsedVersion): boolean {
  const trimmed = entry.trim();
  if (trimmed === version.text) return true;
  // A PyPI version is matched as semver only when it is a plain release of at most three numbers
  // (1.0.post1 or 1.2.3.4 is not 1.0.0 or 1.2.3, so only their exact text ignores them).
  const plainPep440 =
    version.pep440 !== undefined &&
    !version.prerelease &&
    version.pep440[2] === -1 &&
    version.epoch === 0 &&
    version.release.length <= 3;
  const semverText = version.semverText ?? (plainPep440 ? version.release.join('.') : undefined);
  if (semverText === undefined) return false;
  if (semver.valid(trimmed.replace(/^v/, '')) && semver.eq(trimmed.replace(/^v/, ''), semverText)) {
    return true;
  }
  const range = semver.validRange(trimmed);
  return range !== null && semver.satisfies(semverText, range, { includePrerelease: true });
}
