/**
 * OCI images as a version source, over the Distribution API v2: every tag of the repository
 * (`/tags/list`, following `Link` pages, at most 10,000 tags), then for the few tags that could be
 * proposed (versions newer than the pin, newest first) their digest and publish time, and the
 * digest the pinned tag points at now so a moved tag can be reported.
 */
import type { Release, SourceContext, VersionListing, VersionQuery, VersionSource } from '../types.js';
import { UpdateSourceError } from './errors.js';
import { OciClient } from './oci-client.js';
import { headDigest, tagDetails } from './oci-manifests.js';
import { parseImageReference, parseOciPin } from './oci-reference.js';
import { candidateTags, cleanTags } from './oci-tags.js';

export interface OciListOptions {
  /** Tags asked per page (`n`). Default 1000. */
  pageSize?: number;
  /** At most this many tags get a digest and publish time. Default 10. */
  detailed?: number;
}

const MAX_TAGS = 10_000;
const MAX_PAGES = 200;
const MAX_PAGE_BYTES = 4 * 1024 * 1024;

export const ociSource: VersionSource = {
  kind: 'oci',
  list: (query, context) => listOciVersions(query, context),
};

export async function listOciVersions(
  query: VersionQuery,
  context: SourceContext,
  options: OciListOptions = {},
): Promise<VersionListing> {
  const image = parseImageReference(query.identifier);
  if (image === undefined) {
    throw new UpdateSourceError('bad-config', 'the image identifier is not a valid OCI reference');
  }
  const pin = parseOciPin(query.current);
  const client = new OciClient(context.access, image.repository, context.signal, context.countRequest);
  const tags = await listTags(client, options.pageSize ?? 1000);
  const detailed = new Set(candidateTags(tags, pin?.tag, options.detailed ?? 10));
  const details = new Map<string, Release>();
  for (const tag of detailed) {
    const found = await tagDetails(client, tag);
    details.set(tag, {
      version: tag,
      digest: found.digest,
      ...(found.created !== undefined ? { publishedAt: found.created } : {}),
    });
  }
  const releases = tags.map((tag) => details.get(tag) ?? { version: tag });
  const listing: VersionListing = { registry: client.registry, releases };
  if (pin?.tag !== undefined && tags.includes(pin.tag)) {
    const digest = await headDigest(client, pin.tag);
    if (digest !== undefined) listing.currentDigest = digest;
  }
  return listing;
}

async function listTags(client: OciClient, pageSize: number): Promise<string[]> {
  const n = Math.max(1, Math.min(MAX_TAGS, Math.floor(pageSize)));
  let next: URL | undefined = client.url(`tags/list?n=${n}`);
  const tags: unknown[] = [];
  for (let page = 0; next !== undefined; page++) {
    if (page >= MAX_PAGES) {
      throw new UpdateSourceError(
        'too-large',
        `${client.registry} paged the tag list more than ${MAX_PAGES} times`,
      );
    }
    const response = await client.ok(next, { accept: 'application/json', maxBytes: MAX_PAGE_BYTES });
    let body: unknown;
    try {
      body = JSON.parse(response.body.toString('utf8'));
    } catch {
      throw new UpdateSourceError('bad-reply', `${client.registry} sent a tag list that is not JSON`);
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new UpdateSourceError(
        'bad-reply',
        `${client.registry} sent a tag list that is not a JSON object`,
      );
    }
    const list = (body as { tags?: unknown }).tags ?? [];
    if (!Array.isArray(list)) {
      throw new UpdateSourceError('bad-reply', `${client.registry} sent a tag list without a list of tags`);
    }
    for (const tag of list as unknown[]) tags.push(tag);
    if (tags.length > MAX_TAGS) {
      throw new UpdateSourceError(
        'too-large',
        `${client.registry} lists more than ${MAX_TAGS} tags for this image`,
      );
    }
    next = nextPage(client, response.headers.get('link'));
  }
  return cleanTags(tags);
}

/** The `rel="next"` target of a `Link` header, when it stays on this registry's `/v2/` API. */
function nextPage(client: OciClient, link: string | null): URL | undefined {
  if (link === null || link.length > 4096) return undefined;
  const match = /<([^>]*)>\s*;\s*rel="?next"?/i.exec(link);
  if (match === null) return undefined;
  let url: URL;
  try {
    url = new URL(match[1] ?? '', client.url('tags/list'));
  } catch {
    throw new UpdateSourceError('bad-reply', `${client.registry} sent a next-page link that is not a URL`);
  }
  if (!client.owns(url) || !url.pathname.startsWith(`/v2/${client.repository}/tags/list`)) {
    throw new UpdateSourceError(
      'bad-reply',
      `${client.registry} sent a next-page link to another place; refused`,
    );
  }
  return url;
}
