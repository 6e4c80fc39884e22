/** Reads what `init` copies from the product: presets, the quickstart's servers, policies, schemas. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { McpGitopsError } from '../core/errors.js';
import type { ScaffoldSources } from './build-scaffold.js';
import { listPresets, presetsDir } from './list-presets.js';
import { productPath } from './product-paths.js';

function readDir(dir: string, suffix: string): { name: string; text: string }[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(suffix))
    .sort()
    .map((f) => ({ name: f.slice(0, -suffix.length), text: fs.readFileSync(path.join(dir, f), 'utf8') }));
}

/** `metadata.name` of every Policy document in a built-in policy file. */
function policyNames(text: string): string[] {
  return parseAllDocuments(text).flatMap((doc) => {
    const value = doc.toJS() as { kind?: unknown; metadata?: { name?: unknown } } | null;
    return value?.kind === 'Policy' && typeof value.metadata?.name === 'string' ? [value.metadata.name] : [];
  });
}

export function readScaffoldSources(presetNames: readonly string[]): ScaffoldSources {
  const available = listPresets();
  const unknown = presetNames.filter((p) => !available.includes(p));
  if (unknown.length > 0) {
    throw new McpGitopsError('ERR_USAGE', `unknown preset "${unknown[0]}"`, {
      hint: `available presets: ${available.join(', ')}`,
    });
  }
  const presets = presetNames.map((name) => ({
    name,
    text: fs.readFileSync(path.join(presetsDir(), `${name}.yaml`), 'utf8'),
  }));
  const servers = new Map(
    readDir(productPath('examples', 'quickstart', 'servers'), '.yaml').map((s) => [s.name, s.text]),
  );
  return {
    presets,
    servers,
    builtinPolicies: readDir(productPath('policies'), '.yaml').flatMap((p) => policyNames(p.text)),
    schemas: readDir(productPath('schemas'), '.schema.json').map((s) => ({
      path: `${s.name}.schema.json`,
      content: s.text,
    })),
  };
}
