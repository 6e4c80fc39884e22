/**
 * The built-in policies' `assert` schemas, precompiled into `generated/builtin-asserts.ts` so that
 * evaluating them loads no ajv: loading and compiling it costs more than validating 1,000 servers'
 * policies. The generated file records the hash of the asserts it came from; when they differ
 * (a policy was edited) the caller compiles at runtime instead — slower, same result.
 */
import { createHash } from 'node:crypto';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { type BuiltinPolicy, builtinPolicies } from './builtin-policies.js';
import * as generated from './generated/builtin-asserts.js';

/** The export name of a built-in's precompiled assert (policy names are DNS labels). */
export function assertExportName(name: string): string {
  return `assert_${name.replace(/-/g, '_')}`;
}

/** The built-ins whose check is an assert schema (not a scanner), by name. */
export function assertPolicies(
  policies: ReadonlyMap<string, BuiltinPolicy> = builtinPolicies(),
): BuiltinPolicy[] {
  return [...policies.values()]
    .filter((p) => !p.scanner && p.resource.spec.assert)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** sha256 over every assert built-in's name and assert schema. */
export function builtinAssertsSha256(policies: readonly BuiltinPolicy[] = assertPolicies()): string {
  const hash = createHash('sha256');
  for (const p of policies) hash.update(`${p.name}\0${JSON.stringify(p.resource.spec.assert)}\0`);
  return hash.digest('hex');
}

let fresh: boolean | undefined;

/** The precompiled assert of a built-in policy, or undefined when missing or stale. */
export function precompiledAssert(name: string): ValidateFunction | undefined {
  fresh ??= generated.BUILTIN_ASSERTS_SHA256 === builtinAssertsSha256();
  if (!fresh) return undefined;
  const fn = (generated as unknown as Record<string, unknown>)[assertExportName(name)];
  return typeof fn === 'function' ? (fn as ValidateFunction) : undefined;
}
