/**
 * The lock of one server version in a loaded config: the approved surface that drift, plans,
 * `health.tools` and `tools show` compare a live surface with. Looked up by `spec.server` and
 * `spec.version` (validation makes sure those agree with the file's path).
 */
import type { ConfigSet, LoadedDocument } from '../../core/config-set.js';
import type { ToolLockResource } from '../../core/resources.js';
import type { ToolSurface } from '../types.js';

export interface FoundLock {
  surface: ToolSurface;
  /** Repo-relative path of the lock file. */
  file: string;
}

function isLock(doc: LoadedDocument): doc is LoadedDocument<ToolLockResource> {
  return doc.kind === 'ToolLock';
}

/** Every ToolLock document of the config. */
export function toolLocks(config: Pick<ConfigSet, 'documents'>): LoadedDocument<ToolLockResource>[] {
  return config.documents.filter(isLock);
}

/** The locked surface of `server` at `version` (see lockVersion), or undefined when none is committed. */
export function findLock(
  config: Pick<ConfigSet, 'documents'>,
  server: string,
  version: string,
): FoundLock | undefined {
  for (const doc of toolLocks(config)) {
    const spec = doc.value?.spec;
    if (spec?.server !== server || spec.version !== version || typeof spec.surface !== 'object') continue;
    const surface = spec.surface;
    return {
      file: doc.file,
      surface: {
        fingerprint: surface.fingerprint,
        tools: Array.isArray(surface.tools) ? surface.tools : [],
        ...(typeof surface.instructions === 'string' ? { instructions: surface.instructions } : {}),
        prompts: Array.isArray(surface.prompts) ? surface.prompts : [],
        resourceTemplates: Array.isArray(surface.resourceTemplates) ? surface.resourceTemplates : [],
      },
    };
  }
  return undefined;
}
