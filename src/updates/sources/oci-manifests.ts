/**
 * What a tag points at: its manifest digest (`Docker-Content-Digest`, checked against the bytes
 * when we read them) and when its image was built (the image config's `created`, reached through
 * the manifest, or for an index through its first linux/amd64 manifest). Every document is
 * size-capped, parsed defensively and its digest verified, since the registry is untrusted.
 */
import { createHash } from 'node:crypto';
import { UpdateSourceError } from './errors.js';
import type { OciClient } from './oci-client.js';
import { DIGEST } from './oci-reference.js';

const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
export const MANIFEST_ACCEPT = [OCI_INDEX, OCI_MANIFEST, DOCKER_LIST, DOCKER_MANIFEST].join(', ');
const MAX_MANIFEST = 4 * 1024 * 1024;
const MAX_CONFIG = 8 * 1024 * 1024;
/** RFC 3339 as image configs write it (`2026-01-02T03:04:05.123456789Z`). */
const CREATED = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;

function sha256(body: Buffer): string {
  return `sha256:${createHash('sha256').update(body).digest('hex')}`;
}

/** The digest a tag points at now, from a HEAD; `undefined` when the registry does not say. */
export async function headDigest(client: OciClient, tag: string): Promise<string | undefined> {
  const response = await client.ok(client.url(`manifests/${tag}`), {
    method: 'HEAD',
    accept: MANIFEST_ACCEPT,
    maxBytes: MAX_MANIFEST,
  });
  const digest = response.headers.get('docker-content-digest');
  return digest !== null && DIGEST.test(digest) ? digest : undefined;
}

interface Manifest {
  digest: string;
  document: Record<string, unknown>;
}

async function getManifest(client: OciClient, reference: string): Promise<Manifest> {
  const response = await client.ok(client.url(`manifests/${reference}`), {
    accept: MANIFEST_ACCEPT,
    maxBytes: MAX_MANIFEST,
  });
  const digest = sha256(response.body);
  const declared = response.headers.get('docker-content-digest');
  if ((declared !== null && declared !== digest) || (DIGEST.test(reference) && reference !== digest)) {
    throw new UpdateSourceError(
      'bad-reply',
      `${client.registry} sent a manifest whose digest does not match`,
    );
  }
  return { digest, document: parseObject(response.body, client.registry, 'manifest') };
}

function parseObject(body: Buffer, registry: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw new UpdateSourceError('bad-reply', `${registry} sent a ${what} that is not JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UpdateSourceError('bad-reply', `${registry} sent a ${what} that is not a JSON object`);
  }
  return value as Record<string, unknown>;
}

/** From an index, the digest of its first linux/amd64 manifest (else its first manifest). */
export function pickPlatform(index: Record<string, unknown>): string | undefined {
  const manifests = Array.isArray(index.manifests) ? index.manifests : [];
  const entries = manifests.filter(
    (m): m is { digest: string; platform?: { os?: unknown; architecture?: unknown } } =>
      typeof m === 'object' && m !== null && typeof m.digest === 'string' && DIGEST.test(m.digest),
  );
  const amd64 = entries.find((m) => m.platform?.os === 'linux' && m.platform?.architecture === 'amd64');
  return (amd64 ?? entries[0])?.digest;
}

function isIndex(document: Record<string, unknown>): boolean {
  return (
    document.mediaType === OCI_INDEX ||
    document.mediaType === DOCKER_LIST ||
    Array.isArray(document.manifests)
  );
}

export interface TagDetails {
  digest: string;
  /** The image config's `created`, when it is a well formed time. */
  created?: string;
}

/** The digest of `tag` and its image's creation time (at most 4 requests). */
export async function tagDetails(client: OciClient, tag: string): Promise<TagDetails> {
  const top = await getManifest(client, tag);
  let image = top.document;
  if (isIndex(image)) {
    const child = pickPlatform(image);
    if (child === undefined) return { digest: top.digest };
    image = (await getManifest(client, child)).document;
  }
  const config = image.config as { digest?: unknown } | undefined;
  const configDigest = config?.digest;
  if (typeof configDigest !== 'string' || !DIGEST.test(configDigest)) return { digest: top.digest };
  const blob = await client.ok(client.url(`blobs/${configDigest}`), { maxBytes: MAX_CONFIG });
  if (sha256(blob.body) !== configDigest) {
    throw new UpdateSourceError(
      'bad-reply',
      `${client.registry} sent an image config whose digest does not match`,
    );
  }
  const created = parseObject(blob.body, client.registry, 'image config').created;
  if (typeof created !== 'string' || !CREATED.test(created) || Number.isNaN(Date.parse(created))) {
    return { digest: top.digest };
  }
  return { digest: top.digest, created: new Date(created).toISOString() };
}
