/**
 * Compiles a policy's `assert` (JSON Schema 2020-12) once per schema object. An invalid schema is
 * returned as a message, never thrown: it becomes a diagnostic at the policy.
 */
import { createRequire } from 'node:module';
import type { Ajv2020, ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';

type AjvModule = typeof import('ajv/dist/2020.js');

/** Loaded on first compile: the enabled built-ins are precompiled (builtin-asserts.ts). */
function ajv2020(): AjvModule['Ajv2020'] {
  return (createRequire(import.meta.url)('ajv/dist/2020.js') as AjvModule).Ajv2020;
}

export const OPTIONS = {
  allErrors: true,
  strict: true,
  strictTypes: false,
  strictTuples: false,
  strictRequired: false,
  addUsedSchema: false,
  logger: false,
} as const;

/** The options for the product's own (trusted) policies; the generator of builtin-asserts uses them too. */
export const TRUSTED_OPTIONS = { ...OPTIONS, validateSchema: false, meta: false } as const;

let checked: Ajv2020 | undefined;
let trusted: Ajv2020 | undefined;

/**
 * User policies are checked against the 2020-12 meta-schema; the product's own built-ins are
 * trusted (a test compiles them with checking) and skip the cost of compiling the meta-schema.
 */
function instance(trust: boolean): Ajv2020 {
  if (trust) {
    trusted ??= new (ajv2020())(TRUSTED_OPTIONS);
    return trusted;
  }
  if (!checked) {
    checked = new (ajv2020())(OPTIONS);
    // Annotation only, as in the product's own schemas.
    checked.addKeyword('errorMessage');
  }
  return checked;
}

export type CompiledAssert = { ok: true; validate: ValidateFunction } | { ok: false; error: string };

const cache = new WeakMap<object, CompiledAssert>();

export function compileAssert(
  schema: Record<string, unknown>,
  options: { trusted?: boolean } = {},
): CompiledAssert {
  const hit = cache.get(schema);
  if (hit) return hit;
  let result: CompiledAssert;
  try {
    result = { ok: true, validate: instance(options.trusted === true).compile(schema) };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    // "schema is invalid: data/properties/x must be …, data/… must be …" → the first reason only.
    const first = message.replace(/^schema is invalid: /, '').split(', ')[0]!;
    result = { ok: false, error: first.replace(/^data(?=\/|\s)/, 'assert') };
  }
  cache.set(schema, result);
  return result;
}

/** Violations worth reporting: `if` only says "then failed", which its own error already says. */
export function assertErrors(validate: ValidateFunction, value: unknown): ErrorObject[] {
  if (validate(value)) return [];
  return (validate.errors ?? []).filter((e) => e.keyword !== 'if');
}
