/**
 * The built-in policies: Policy documents shipped in the product's `policies/` folder, enabled by
 * name in `mcp-gitops.yaml` (`spec.policies`). Most are a match + JSON Schema assert; those whose
 * check is code (a scanner over the repo's files) carry the annotation
 * `mcp-gitops/implementation: scanner` and are implemented by a scanner (evaluate-policies.ts).
 * A built-in annotated `mcp-gitops/enabled-by-default: "true"` runs whether or not it is listed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { jsYaml } from '../config/js-yaml.js';
import type { PolicyResource } from '../core/resources.js';
import { productPath } from '../init/product-paths.js';

export interface BuiltinPolicy {
  name: string;
  /** Product-relative path of the file that defines it, e.g. `policies/pinned-versions.yaml`. */
  file: string;
  resource: PolicyResource;
  scanner: boolean;
  /** Runs whether or not `mcp-gitops.yaml` lists it (`tool-description-hygiene`). */
  enabledByDefault: boolean;
}

let cached: Map<string, BuiltinPolicy> | undefined;

function load(): Map<string, BuiltinPolicy> {
  const dir = productPath('policies');
  const out = new Map<string, BuiltinPolicy>();
  const files = fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((f) => /\.ya?ml$/.test(f))
        .sort()
    : [];
  for (const name of files) {
    const text = fs.readFileSync(path.join(dir, name), 'utf8');
    // js-yaml, the parser the config loader already loaded: no second YAML library at startup.
    let docs: unknown[];
    try {
      docs = jsYaml().loadAll(text, { maxAliases: 0 });
    } catch (err) {
      throw new Error(`built-in policy file policies/${name}: ${(err as Error).message}`);
    }
    for (const doc of docs) {
      const resource = doc as PolicyResource;
      if (resource?.kind !== 'Policy') continue;
      out.set(resource.metadata.name, {
        name: resource.metadata.name,
        file: `policies/${name}`,
        resource,
        scanner: resource.metadata.annotations?.['mcp-gitops/implementation'] === 'scanner',
        enabledByDefault: resource.metadata.annotations?.['mcp-gitops/enabled-by-default'] === 'true',
      });
    }
  }
  return out;
}

export function builtinPolicies(): ReadonlyMap<string, BuiltinPolicy> {
  cached ??= load();
  return cached;
}

/** The built-ins that run for a repository listing `listed`: those listed, then those on by default. */
export function enabledBuiltinNames(listed: readonly string[]): string[] {
  const defaults = [...builtinPolicies().values()].filter((p) => p.enabledByDefault).map((p) => p.name);
  return [...new Set([...listed, ...defaults.sort()])];
}

export function builtinPolicyNames(): string[] {
  return [...builtinPolicies().keys()].sort();
}
