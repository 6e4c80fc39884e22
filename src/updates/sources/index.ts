/**
 * One registry of version sources keyed by kind, each module loaded on first use so a run that
 * only checks npm pins never loads the OCI or MCP-registry code. An unknown kind fails with the
 * list of known ones.
 */
import type { SourceKind, VersionSource } from '../types.js';
import { UpdateSourceError } from './errors.js';

/** Every kind has an entry: a new SourceKind without a source fails the type check. */
const loaders: Record<SourceKind, () => Promise<VersionSource>> = {
  npm: async () => (await import('./npm.js')).npmSource,
  pypi: async () => (await import('./pypi.js')).pypiSource,
  oci: async () => (await import('./oci.js')).ociSource,
  mcp: async () => (await import('./mcp-registry.js')).mcpRegistrySource,
};

const loaded = new Map<SourceKind, Promise<VersionSource>>();

export async function versionSource(kind: SourceKind): Promise<VersionSource> {
  const load = Object.hasOwn(loaders, kind) ? loaders[kind] : undefined;
  if (load === undefined) {
    throw new UpdateSourceError(
      'bad-config',
      `no version source for "${String(kind).slice(0, 40)}"; known: ${knownSourceKinds().join(', ')}`,
    );
  }
  let source = loaded.get(kind);
  if (source === undefined) {
    source = load();
    loaded.set(kind, source);
    source.catch(() => loaded.delete(kind));
  }
  return source;
}

export function knownSourceKinds(): SourceKind[] {
  return (Object.keys(loaders) as SourceKind[]).sort();
}
