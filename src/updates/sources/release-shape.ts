/**
 * Strict shapes for what a registry says about a release, checked before anything reaches a
 * report, a PR body, a branch name or a YAML file: a version is a valid semver string (or, for
 * PyPI, a PEP 440 public version) of bounded length, a time is an ISO 8601 date that parses, a link
 * is a plain https URL. Anything else is dropped by the caller.
 */
import semver from 'semver';

const MAX_VERSION = 64;
const MAX_URL = 300;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/;
/** PEP 440 public versions (normalized or not), without local parts (`+local` is never published). */
const PEP440 =
  /^v?(?:\d+!)?\d+(?:\.\d+)*(?:[-_.]?(?:a|b|c|rc|alpha|beta|pre|preview)[-_.]?\d*)?(?:(?:-\d+)|(?:[-_.]?(?:post|rev|r)[-_.]?\d*))?(?:[-_.]?dev[-_.]?\d*)?$/i;

export function isSemverVersion(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_VERSION && semver.valid(value) === value;
}

export function isPep440Version(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_VERSION && PEP440.test(value);
}

/** An ISO 8601 date-time that parses → its normalized form (`…Z`); anything else → undefined. */
export function isoTime(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 40 || !ISO_DATE.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** A plain https URL with no credentials, of bounded length and printable ASCII → it; else undefined. */
export function httpsUrl(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > MAX_URL || !/^[\x21-\x7e]+$/.test(value)) {
    return undefined;
  }
  try {
    const url = new URL(value);
    if (url.protocol !== 'https:' || url.username !== '' || url.password !== '') return undefined;
    return url.href;
  } catch {
    return undefined;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
