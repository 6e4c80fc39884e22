/**
 * Pure: the files of a new config repo, from the product's presets, example servers and schemas.
 * Reading those sources is `read-scaffold-sources.ts`; writing is `write-scaffold.ts`.
 */
import { parse } from 'yaml';
import type { FileWrite } from '../git/types.js';
import type { CliInvocation } from './cli-invocation.js';
import {
  DEFAULT_POLICIES,
  examplePolicyYaml,
  GITIGNORE,
  readmeMd,
  repositoryYaml,
} from './scaffold-texts.js';
import { SCHEMAS_DIR, withModeline } from './schema-modeline.js';

/** A file of the new repo; `keepExisting` files (README, .gitignore) are left alone when present. */
export interface ScaffoldFile extends FileWrite {
  keepExisting?: boolean;
}

export interface ScaffoldSources {
  /** Chosen presets: name → Environment YAML text. */
  presets: { name: string; text: string }[];
  /** Example servers by server name → Server YAML text. */
  servers: ReadonlyMap<string, string>;
  /** Built-in policy names the product ships. */
  builtinPolicies: readonly string[];
  /** `schemas/*.schema.json` of the product. */
  schemas: FileWrite[];
}

interface PresetShape {
  metadata?: { name?: unknown };
  spec?: { servers?: { name?: unknown }[] };
}

/** A DNS label made from a directory name (the Repository's metadata.name). */
export function repoNameFrom(dirName: string): string {
  const label = dirName
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return label || 'mcp-config';
}

/** How the user runs mcp-gitops, for the README's commands, and the product version to install. */
export interface ScaffoldContext {
  cli: CliInvocation;
  version: string;
}

export function buildScaffold(
  repoName: string,
  sources: ScaffoldSources,
  context: ScaffoldContext,
): ScaffoldFile[] {
  const files: ScaffoldFile[] = [];
  const serverNames = new Set<string>();
  const envNames: string[] = [];
  for (const preset of sources.presets) {
    const doc = parse(preset.text) as PresetShape;
    const envName = String(doc.metadata?.name ?? preset.name);
    if (envNames.includes(envName)) {
      throw new Error(`presets define environment "${envName}" twice`);
    }
    envNames.push(envName);
    const file = `environments/${envName}.yaml`;
    files.push({ path: file, content: withModeline(preset.text, file, 'Environment') });
    for (const s of doc.spec?.servers ?? []) serverNames.add(String(s.name));
  }
  for (const name of [...serverNames].sort()) {
    const text = sources.servers.get(name);
    if (text === undefined) throw new Error(`preset references server "${name}" that no example defines`);
    const file = `servers/${name}.yaml`;
    files.push({ path: file, content: withModeline(text, file, 'Server') });
  }
  const enabled = DEFAULT_POLICIES.filter((p) => sources.builtinPolicies.includes(p));
  files.push({
    path: 'mcp-gitops.yaml',
    content: repositoryYaml(repoName, enabled, sources.builtinPolicies),
  });
  const policyFile = 'policies/servers-have-description.yaml';
  files.push({ path: policyFile, content: examplePolicyYaml(policyFile) });
  files.push({ path: '.gitignore', content: GITIGNORE, keepExisting: true });
  files.push({
    path: 'README.md',
    content: readmeMd(repoName, envNames, context.cli, context.version),
    keepExisting: true,
  });
  for (const schema of sources.schemas) {
    files.push({ path: `${SCHEMAS_DIR}/${schema.path}`, content: schema.content });
  }
  return files;
}
