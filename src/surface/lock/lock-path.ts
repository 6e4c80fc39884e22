/**
 * Where the lock of one server version lives and what it is called. One file per server and
 * version, `tool-locks/<server>/<version>.yaml`, so a version bump adds a file beside the old one
 * (kept for rollback) and a pull request shows the new surface as a new file, reviewable on its own.
 * An OCI pin with a digest is filed with `-` for the digest's `:` (see `fileStem`).
 *
 * `metadata.name` must be a DNS label unique among ToolLocks. It is `<server>-<version>` with dots
 * as dashes when that is exact (versions of lowercase letters, digits and single dots, which is
 * what npm and PyPI pins nearly always are: `memory-2026-8-31`). Any other version could collide
 * once squeezed into a DNS label (`1.0-rc` and `1.0.rc`), so its name also carries 8 hex digits of
 * sha256 over server and version; so does a name that would pass 63 characters, cut to fit.
 */
import { createHash } from 'node:crypto';
import type { ServerSpec } from '../../core/resources.js';

/** The version of a server with no package to pin (a `command` or `remote` server). */
export const UNVERSIONED = 'unversioned';

export const LOCK_DIR = 'tool-locks';

const MAX_NAME = 63;
const EXACT_VERSION = /^[a-z0-9]+(\.[a-z0-9]+)*$/;

/** Repo-relative path of a lock file (POSIX). */
export function lockPath(server: string, version: string): string {
  return `${LOCK_DIR}/${server}/${fileStem(version)}.yaml`;
}

/**
 * An OCI digest pin as a file name: `1.2.3@sha256:<hex>` → `1.2.3@sha256-<hex>` (a `:` cannot be
 * in a Windows file name), and a bare `sha256:<hex>` → `@sha256-<hex>` (a leading `@`, which no
 * tag has, so it never meets a tag spelled `sha256-<hex>`). Other versions are the name as is.
 */
function fileStem(version: string): string {
  if (/^sha256:[a-f0-9]{64}$/.test(version)) return `@${version.replace(':', '-')}`;
  return version.replace(/@sha256:(?=[a-f0-9]{64}$)/, '@sha256-');
}

/** The version a lock of this server spec is filed under: its exact package version, or `unversioned`. */
export function lockVersion(spec: Pick<ServerSpec, 'package'>): string {
  return spec.package?.version ?? UNVERSIONED;
}

function shortHash(server: string, version: string): string {
  return createHash('sha256').update(`${server}\0${version}`).digest('hex').slice(0, 8);
}

/** The lock's `metadata.name` (see the file comment for the rule). */
export function lockName(server: string, version: string): string {
  if (EXACT_VERSION.test(version)) {
    const name = `${server}-${version.replace(/\./g, '-')}`;
    if (name.length <= MAX_NAME) return name;
  }
  const slug = version
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const suffix = `-${shortHash(server, version)}`;
  const stem = `${server}${slug === '' ? '' : `-${slug}`}`
    .slice(0, MAX_NAME - suffix.length)
    .replace(/-+$/, '');
  return `${stem}${suffix}`;
}
