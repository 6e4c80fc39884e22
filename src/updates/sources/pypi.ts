/**
 * PyPI versions from its JSON API (`GET {url}/pypi/{name}/json`): each key of `releases` is a
 * version, its files say when it was uploaded (`upload_time_iso_8601`, the earliest wins) and
 * whether it was yanked (every file yanked → withdrawn). Names are normalized per PEP 503. The
 * reply is validated before use: versions must be PEP 440, times ISO dates; other entries are
 * dropped, and a reply with no usable versions is a 'bad-reply' for this package only.
 */
import type { Release, SourceContext, VersionListing, VersionQuery, VersionSource } from '../types.js';
import { originOf, UpdateSourceError } from './errors.js';
import { fetchJson } from './http.js';
import { isoTime, isPep440Version, isRecord } from './release-shape.js';

/** PEP 508 project names. */
const PYPI_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,200}[A-Za-z0-9])?$/;

/** PEP 503: runs of `-`, `_`, `.` become one `-`, lower case. */
export function normalizePypiName(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase();
}

export interface PypiSourceOptions {
  /** Per request; default the HTTP client's 15 s. */
  timeoutMs?: number;
  /** Reply size cap; default the HTTP client's 32 MiB. */
  maxBytes?: number;
}

export const pypiSource: VersionSource = createPypiSource();

/** A PyPI source; tests give tighter bounds than the defaults. */
export function createPypiSource(bounds: PypiSourceOptions = {}): VersionSource {
  return {
    kind: 'pypi',
    list: (query, context) => listPypi(query, context, bounds),
  };
}

async function listPypi(
  query: VersionQuery,
  context: SourceContext,
  bounds: PypiSourceOptions,
): Promise<VersionListing> {
  const registry = originOf(context.access.url);
  if (!PYPI_NAME.test(query.identifier)) {
    throw new UpdateSourceError('bad-config', 'the package name is not a valid PyPI project name');
  }
  const name = normalizePypiName(query.identifier);
  const base = context.access.url.replace(/\/+$/, '');
  const document = await fetchJson(`${base}/pypi/${name}/json`, {
    access: context.access,
    accept: 'application/json',
    signal: context.signal,
    countRequest: context.countRequest,
    ...bounds,
  });
  const releases = pypiReleasesOf(document, name, registry === 'https://pypi.org');
  if (releases === undefined) {
    throw new UpdateSourceError('bad-reply', `${registry} sent a project document with no usable releases`);
  }
  return { registry, releases };
}

/** The releases a JSON API document lists, or undefined when it is not one. */
export function pypiReleasesOf(document: unknown, name: string, onPypi: boolean): Release[] | undefined {
  if (!isRecord(document) || !isRecord(document.releases)) return undefined;
  const releases: Release[] = [];
  for (const [version, files] of Object.entries(document.releases)) {
    if (!isPep440Version(version) || !Array.isArray(files)) continue;
    const release: Release = { version };
    let earliest: string | undefined;
    let yanked = 0;
    for (const file of files) {
      if (!isRecord(file)) continue;
      const uploaded = isoTime(file.upload_time_iso_8601);
      if (uploaded !== undefined && (earliest === undefined || uploaded < earliest)) earliest = uploaded;
      if (file.yanked === true) yanked++;
    }
    if (earliest !== undefined) release.publishedAt = earliest;
    if (files.length > 0 && yanked === files.length) release.withdrawn = true;
    if (onPypi) release.url = `https://pypi.org/project/${name}/${version}/`;
    releases.push(release);
  }
  if (Object.keys(document.releases).length > 0 && releases.length === 0) return undefined;
  return releases;
}
