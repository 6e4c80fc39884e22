/**
 * How an image identifier names a registry and a repository, the way podman and docker read it:
 * `registry.host[:port]/path/name` names its registry; anything else (`nginx`, `library/nginx`,
 * `docker.io/x/y`) lives on Docker Hub, whose API host is `registry-1.docker.io` and whose
 * one-part names sit under `library/`. A tag or digest on the identifier is split off, so a pin
 * written into the identifier still finds its repository. Pure: no I/O.
 */

export interface ImageReference {
  /** The registry host as references name it (`ghcr.io`, `127.0.0.1:5000`, `docker.io`). */
  host: string;
  /** The host the Distribution API is served from (`registry-1.docker.io` for Docker Hub). */
  apiHost: string;
  /** Repository path inside the registry (`library/nginx`, `org/tools/server`). */
  repository: string;
  /** A tag written on the identifier, if any. */
  tag?: string;
  /** A digest written on the identifier, if any. */
  digest?: string;
}

export const DOCKER_HUB = 'docker.io';
const DOCKER_HUB_API = 'registry-1.docker.io';
const DOCKER_HUB_ALIASES = new Set([DOCKER_HUB, 'index.docker.io', DOCKER_HUB_API]);

/** Distribution's grammar for a repository path component, and for tags and digests. */
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const HOST =
  /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*|\[[0-9a-fA-F:]+\])(?::[0-9]{1,5})?$/;
export const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
export const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** Whether `host` names Docker Hub under any of its names. */
export function isDockerHub(host: string): boolean {
  return DOCKER_HUB_ALIASES.has(host.toLowerCase());
}

/** Parse an identifier; `undefined` when it is not a valid image reference. */
export function parseImageReference(identifier: string): ImageReference | undefined {
  if (identifier.length === 0 || identifier.length > 512) return undefined;
  let rest = identifier;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return undefined;
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.indexOf(':', lastSlash + 1);
  if (colon >= 0) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return undefined;
  }
  const parts = rest.split('/');
  let host = DOCKER_HUB;
  const first = parts[0] ?? '';
  if (parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    host = first;
    parts.shift();
    if (!HOST.test(host)) return undefined;
  }
  if (isDockerHub(host)) {
    host = DOCKER_HUB;
    if (parts.length === 1) parts.unshift('library');
  }
  if (parts.length === 0 || !parts.every((p) => COMPONENT.test(p))) return undefined;
  const repository = parts.join('/');
  if (repository.length > 255) return undefined;
  return {
    host,
    apiHost: host === DOCKER_HUB ? DOCKER_HUB_API : host,
    repository,
    ...(tag !== undefined ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
}

/** A pinned version as written: `1.2.3`, `1.2.3@sha256:…`, or a bare `sha256:…`. */
export interface OciPin {
  tag?: string;
  digest?: string;
}

/** Split a pin into its tag and digest; `undefined` when neither part is well formed. */
export function parseOciPin(pin: string): OciPin | undefined {
  if (DIGEST.test(pin)) return { digest: pin };
  const at = pin.indexOf('@');
  const tag = at >= 0 ? pin.slice(0, at) : pin;
  const digest = at >= 0 ? pin.slice(at + 1) : undefined;
  if (!TAG.test(tag)) return undefined;
  if (digest !== undefined && !DIGEST.test(digest)) return undefined;
  return digest !== undefined ? { tag, digest } : { tag };
}
