/**
 * Versions from the official MCP registry's API (v0.1, docs/reference/api/openapi.yaml of
 * modelcontextprotocol/registry): `GET {url}/v0.1/servers/{url-encoded name}/versions` answers a
 * ServerList of every version, `{ servers: [{ server: server.json, _meta: { "io.modelcontext
 * protocol.registry/official": { status, publishedAt, updatedAt, isLatest } } }] }`. With
 * `updatedSince`, the list endpoint's `updated_since` (and `search`, following `nextCursor`) asks
 * only for versions changed since then. Status `deprecated` or `deleted` marks a version withdrawn.
 * Every entry is checked before use: the entry's name must be the one asked for, the version a
 * semver string, times ISO dates; anything else is dropped, never echoed.
 */
import type { Release, SourceContext, VersionListing, VersionQuery, VersionSource } from '../types.js';
import { originOf, UpdateSourceError } from './errors.js';
import { fetchJson } from './http.js';
import { httpsUrl, isoTime, isRecord, isSemverVersion } from './release-shape.js';

/** server.json's `name`: reverse-DNS namespace, one slash, server name (3-200 characters). */
const ENTRY_NAME = /^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/;
const OFFICIAL = 'io.modelcontextprotocol.registry/official';
/** At most this many entries are read from one reply, and pages from the list endpoint. */
const MAX_ENTRIES = 5000;
const MAX_PAGES = 20;
const PAGE_LIMIT = 100;
const CURSOR = /^[\x21-\x7e]{1,512}$/;
const DEFAULT_MAX_BYTES = 8 * 1024 * 1024;

export interface McpRegistrySourceOptions {
  /** Per request; default the HTTP client's 15 s. */
  timeoutMs?: number;
  /** Reply size cap; default 8 MiB. */
  maxBytes?: number;
}

export const mcpRegistrySource: VersionSource = createMcpRegistrySource();

/** An MCP registry source; tests give tighter bounds than the defaults. */
export function createMcpRegistrySource(bounds: McpRegistrySourceOptions = {}): VersionSource {
  return { kind: 'mcp', list: (query, context) => listMcpRegistry(query, context, bounds) };
}

export function isMcpEntryName(name: string): boolean {
  return name.length >= 3 && name.length <= 200 && ENTRY_NAME.test(name);
}

async function listMcpRegistry(
  query: VersionQuery,
  context: SourceContext,
  bounds: McpRegistrySourceOptions,
): Promise<VersionListing> {
  const registry = originOf(context.access.url);
  const name = query.identifier;
  if (!isMcpEntryName(name)) {
    throw new UpdateSourceError('bad-config', 'the MCP registry entry name is not `namespace/name`');
  }
  const base = context.access.url.replace(/\/+$/, '');
  const get = (url: string) =>
    fetchJson(url, {
      access: context.access,
      signal: context.signal,
      countRequest: context.countRequest,
      maxBytes: bounds.maxBytes ?? DEFAULT_MAX_BYTES,
      ...(bounds.timeoutMs !== undefined ? { timeoutMs: bounds.timeoutMs } : {}),
    });
  const since = query.updatedSince === undefined ? undefined : isoTime(query.updatedSince);
  if (query.updatedSince !== undefined && since === undefined) {
    throw new UpdateSourceError('bad-config', 'updatedSince is not an ISO 8601 time');
  }
  const entries: unknown[] = [];
  if (since === undefined) {
    const path = `${base}/v0.1/servers/${encodeURIComponent(name)}/versions?include_deleted=true`;
    entries.push(...serversOf(await get(path), registry));
  } else {
    let cursor: string | undefined;
    for (let page = 0; ; page++) {
      if (page >= MAX_PAGES) {
        throw new UpdateSourceError(
          'too-large',
          `${registry} paged the server list more than ${MAX_PAGES} times`,
        );
      }
      const params = new URLSearchParams({ search: name, updated_since: since, limit: String(PAGE_LIMIT) });
      if (cursor !== undefined) params.set('cursor', cursor);
      const reply = await get(`${base}/v0.1/servers?${params}`);
      entries.push(...serversOf(reply, registry));
      if (entries.length > MAX_ENTRIES) break;
      cursor = nextCursor(reply);
      if (cursor === undefined) break;
    }
  }
  if (entries.length > MAX_ENTRIES) {
    throw new UpdateSourceError('too-large', `${registry} listed more than ${MAX_ENTRIES} versions`);
  }
  const onHttps = base.startsWith('https://');
  return { registry, releases: releasesOf(entries, name, onHttps ? base : undefined) };
}

function serversOf(reply: unknown, registry: string): unknown[] {
  if (!isRecord(reply) || !Array.isArray(reply.servers)) {
    throw new UpdateSourceError('bad-reply', `${registry} sent something that is not a server list`);
  }
  return reply.servers;
}

function nextCursor(reply: unknown): string | undefined {
  if (!isRecord(reply) || !isRecord(reply.metadata)) return undefined;
  const cursor = reply.metadata.nextCursor;
  return typeof cursor === 'string' && CURSOR.test(cursor) ? cursor : undefined;
}

/** The releases of `name` among ServerResponse entries, once each (a withdrawn mark wins). */
export function releasesOf(
  entries: readonly unknown[],
  name: string,
  httpsBase: string | undefined,
): Release[] {
  const byVersion = new Map<string, Release>();
  for (const entry of entries) {
    if (!isRecord(entry) || !isRecord(entry.server)) continue;
    const { server } = entry;
    if (server.name !== name || !isSemverVersion(server.version)) continue;
    const version = server.version;
    const official = isRecord(entry._meta) && isRecord(entry._meta[OFFICIAL]) ? entry._meta[OFFICIAL] : {};
    const release: Release = { version };
    const published = isoTime(official.publishedAt);
    if (published !== undefined) release.publishedAt = published;
    if (official.status === 'deprecated' || official.status === 'deleted') release.withdrawn = true;
    const url =
      httpsBase === undefined
        ? undefined
        : httpsUrl(
            `${httpsBase}/v0.1/servers/${encodeURIComponent(name)}/versions/${encodeURIComponent(version)}`,
          );
    if (url !== undefined) release.url = url;
    const seen = byVersion.get(version);
    if (seen === undefined || (release.withdrawn === true && seen.withdrawn !== true))
      byVersion.set(version, release);
  }
  return [...byVersion.values()];
}
