/**
 * The text of a lock file: the ToolLock resource of one server version, in a fixed order that
 * reads well in a pull request (each tool's name, title, description, annotations, schemas, then
 * its fingerprint), with the keys inside schemas and annotations sorted so a server that reorders
 * its JSON never changes the file. Secret values are the caller's to redact before this (see
 * src/cli/commands/tools-lock.ts); this file only lays the surface out.
 */
import { API_VERSION, type ToolLockResource } from '../../core/resources.js';
import type { SurfaceTool, ToolSurface } from '../types.js';
import { emitYaml } from './emit-yaml.js';
import { lockName } from './lock-path.js';

/** The same JSON with object keys sorted at every depth (arrays keep their order). */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value).sort()) out[k] = sortKeys((value as Record<string, unknown>)[k]);
  return out;
}

function toolEntry(tool: SurfaceTool): Record<string, unknown> {
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    annotations: tool.annotations === undefined ? undefined : sortKeys(tool.annotations),
    inputSchema: tool.inputSchema === undefined ? undefined : sortKeys(tool.inputSchema),
    outputSchema: tool.outputSchema === undefined ? undefined : sortKeys(tool.outputSchema),
    fingerprint: tool.fingerprint,
  };
}

/** The lock resource for a surface (tools re-sorted by name, as the surface should already be). */
export function lockResource(server: string, version: string, surface: ToolSurface): ToolLockResource {
  const tools = [...surface.tools].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    apiVersion: API_VERSION,
    kind: 'ToolLock',
    metadata: { name: lockName(server, version) },
    spec: {
      server,
      version,
      surface: {
        fingerprint: surface.fingerprint,
        tools,
        ...(surface.instructions === undefined ? {} : { instructions: surface.instructions }),
        prompts: [...surface.prompts].sort(),
        resourceTemplates: [...surface.resourceTemplates].sort(),
      },
    },
  };
}

/**
 * Where the editor modeline of a lock file points by default: the schema copies `mcp-gitops init`
 * puts in `.mcp-gitops/schemas/`, seen from `tool-locks/<server>/`.
 */
export const LOCK_SCHEMA_REF = '../../.mcp-gitops/schemas/toollock.schema.json';

/** YAML text of the lock file; the same surface always gives the same bytes. */
export function renderLock(
  server: string,
  version: string,
  surface: ToolSurface,
  options: { schemaRef?: string } = {},
): string {
  const lock = lockResource(server, version, surface);
  const header = [
    `# yaml-language-server: $schema=${options.schemaRef ?? LOCK_SCHEMA_REF}`,
    '# Written by `mcp-gitops tools lock`: the reviewed tool surface of this server version.',
    '# Do not edit by hand (validate checks every fingerprint); re-run `tools lock` and review the diff.',
  ];
  const body = emitYaml({
    apiVersion: lock.apiVersion,
    kind: lock.kind,
    metadata: lock.metadata,
    spec: {
      server: lock.spec.server,
      version: lock.spec.version,
      surface: {
        fingerprint: lock.spec.surface.fingerprint,
        ...(lock.spec.surface.instructions === undefined
          ? {}
          : { instructions: lock.spec.surface.instructions }),
        prompts: lock.spec.surface.prompts,
        resourceTemplates: lock.spec.surface.resourceTemplates,
        tools: lock.spec.surface.tools.map(toolEntry),
      },
    },
  });
  return `${header.join('\n')}\n${body}`;
}
