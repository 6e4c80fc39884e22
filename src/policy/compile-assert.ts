/**
 * Compiles a policy's `assert` (JSON Schema 2020-12) once per schema object. An invalid schema is
 * returned as problems, never thrown: each becomes a diagnostic at the policy (at the offending
 * pattern when a regular expression is the problem).
 */
import { createRequire } from 'node:module';
import type { Ajv2020, ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { assertPatterns } from './assert-patterns.js';
import { checkPattern, linearRegExp, UnsupportedPatternError } from './linear-regexp.js';

type AjvModule = typeof import('ajv/dist/2020.js');

/** Loaded on first compile: the enabled built-ins are precompiled (builtin-asserts.ts). */
function ajv2020(): AjvModule['Ajv2020'] {
  return (createRequire(import.meta.url)('ajv/dist/2020.js') as AjvModule).Ajv2020;
}

const BASE_OPTIONS = {
  allErrors: true,
  strict: true,
  strictTypes: false,
  strictTuples: false,
  strictRequired: false,
  addUsedSchema: false,
  logger: false,
} as const;

/**
 * The options for policies from the config repo. Their patterns run on RE2 (linear-regexp.ts):
 * with JavaScript's backtracking RegExp a pattern like `^(a+)+$` hangs on a 41-character value.
 * `allowMatchingProperties` turns off a strict-mode check in which Ajv tests every
 * `patternProperties` pattern against the `properties` names with its own `new RegExp`, which
 * would put both, from the same policy, on a backtracking engine.
 */
export const OPTIONS = {
  ...BASE_OPTIONS,
  allowMatchingProperties: true,
  code: { regExp: linearRegExp },
} as const;

/**
 * The options for the product's own (trusted) policies; the generator of builtin-asserts uses them
 * too. They keep JavaScript's RegExp: their patterns are fixed and safe on any input (every
 * repeated part is bounded or followed by a character it cannot match, so no input has many ways
 * to match), and pinned-versions needs a lookahead, which RE2 lacks.
 */
export const TRUSTED_OPTIONS = { ...BASE_OPTIONS, validateSchema: false, meta: false } as const;

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

/** Why an assert cannot be used, and where: `path` inside the assert ([] for the whole schema). */
export interface AssertProblem {
  message: string;
  path: (string | number)[];
  which: 'key' | 'value';
}

export type CompiledAssert =
  | { ok: true; validate: ValidateFunction }
  | { ok: false; problems: AssertProblem[] };

const cache = new WeakMap<object, CompiledAssert>();

/** Every pattern of an untrusted assert that cannot run in linear time, at its place. */
function patternProblems(schema: Record<string, unknown>): AssertProblem[] {
  const problems: AssertProblem[] = [];
  for (const p of assertPatterns(schema)) {
    const why = checkPattern(p.pattern);
    if (why === undefined) continue;
    const subject = p.keyword === 'pattern' ? 'pattern' : 'patternProperties pattern';
    problems.push({ message: `${subject} ${why}`, path: p.path, which: p.which });
  }
  return problems;
}

export function compileAssert(
  schema: Record<string, unknown>,
  options: { trusted?: boolean } = {},
): CompiledAssert {
  const hit = cache.get(schema);
  if (hit) return hit;
  const trust = options.trusted === true;
  let result: CompiledAssert;
  const problems = trust ? [] : patternProblems(schema);
  if (problems.length > 0) {
    result = { ok: false, problems };
  } else {
    try {
      result = { ok: true, validate: instance(trust).compile(schema) };
    } catch (err) {
      result = { ok: false, problems: [{ message: compileError(err), path: [], which: 'value' }] };
    }
  }
  cache.set(schema, result);
  return result;
}

function compileError(err: unknown): string {
  // A pattern somewhere patternProblems does not look (it visits every place Ajv reads one).
  if (err instanceof UnsupportedPatternError) return `assert has a pattern that ${err.message}`;
  const message = err instanceof Error ? err.message : String(err);
  // "schema is invalid: data/properties/x must be …, data/… must be …" → the first reason only.
  const first = message.replace(/^schema is invalid: /, '').split(', ')[0]!;
  return `assert is not a valid JSON Schema: ${first.replace(/^data(?=\/|\s)/, 'assert')}`;
}

/** Violations worth reporting: `if` only says "then failed", which its own error already says. */
export function assertErrors(validate: ValidateFunction, value: unknown): ErrorObject[] {
  if (validate(value)) return [];
  return (validate.errors ?? []).filter((e) => e.keyword !== 'if');
}
