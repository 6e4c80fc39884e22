/**
 * npm versions: every version of a package and when it was published, from the full packument
 * (`GET {registry}/{name}`, scoped names as `@scope%2fname`; the abbreviated form has no times).
 * Deprecated versions are marked withdrawn. The reply is validated before use: versions must be
 * semver, times ISO dates, links https; other entries are dropped, and a reply with no usable
 * versions is a 'bad-reply' for this package only.
 */
import type { Release, SourceContext, VersionListing, VersionQuery, VersionSource } from '../types.js';
import { originOf, UpdateSourceError } from './errors.js';
import { fetchJson } from './http.js';
import { httpsUrl, isoTime, isRecord, isSemverVersion } from './release-shape.js';

/** npm's rules for names, old (mixed case) ones included; max 214 characters. */
const NPM_NAME = /^(?:@[a-z0-9~-][a-z0-9._~-]*\/)?[a-zA-Z0-9~-][a-zA-Z0-9._~-]*$/;

export function isNpmPackageName(name: string): boolean {
  return name.length <= 214 && NPM_NAME.test(name);
}

/** `{registry}/{name}` with a scoped name's slash encoded, as npm asks. */
export function packumentUrl(registry: string, name: string): string {
  const base = registry.endsWith('/') ? registry : `${registry}/`;
  return `${base}${name.replace('/', '%2f')}`;
}

export const npmSource: VersionSource = {
  kind: 'npm',
  async list(query: VersionQuery, context: SourceContext): Promise<VersionListing> {
    const registry = originOf(context.access.url);
    if (!isNpmPackageName(query.identifier)) {
      throw new UpdateSourceError('bad-config', 'the package name is not a valid npm name');
    }
    const packument = await fetchJson(packumentUrl(context.access.url, query.identifier), {
      access: context.access,
      accept: 'application/json',
      signal: context.signal,
      countRequest: context.countRequest,
    });
    const releases = releasesOf(packument, query.identifier, context.access.url);
    if (releases === undefined) {
      throw new UpdateSourceError('bad-reply', `${registry} sent a package document with no usable versions`);
    }
    return { registry, releases };
  },
};

/** The releases a packument describes, or undefined when it is not a packument at all. */
export function releasesOf(packument: unknown, name: string, registryUrl: string): Release[] | undefined {
  if (!isRecord(packument) || !isRecord(packument.versions)) return undefined;
  const times = isRecord(packument.time) ? packument.time : {};
  const onNpmjs = originOf(registryUrl) === 'https://registry.npmjs.org';
  const releases: Release[] = [];
  for (const [version, manifest] of Object.entries(packument.versions)) {
    if (!isSemverVersion(version) || !isRecord(manifest)) continue;
    const release: Release = { version };
    const publishedAt = isoTime(times[version]);
    if (publishedAt !== undefined) release.publishedAt = publishedAt;
    const deprecated = manifest.deprecated;
    if (deprecated !== undefined && deprecated !== false && deprecated !== '') release.withdrawn = true;
    const url = onNpmjs ? `https://www.npmjs.com/package/${name}/v/${version}` : httpsUrl(manifest.homepage);
    if (url !== undefined) release.url = url;
    releases.push(release);
  }
  const hadEntries = Object.keys(packument.versions).length > 0;
  if (hadEntries && releases.length === 0) return undefined;
  return releases;
}
