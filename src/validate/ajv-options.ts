/**
 * One ajv configuration for the runtime compiler and the precompiled validators alike.
 *
 * The product's own schemas (schemas/*.json) keep JavaScript's RegExp for their `pattern`s, though
 * the values they test come from the config repo: the patterns are fixed and safe on any input
 * (each repeated part is bounded or stops at a character that cannot continue it, so no string has
 * many ways to match; 50,000-character adversarial strings take a few ms). Patterns written by
 * users, in a Policy's `assert`, run on RE2 instead (src/policy/linear-regexp.ts).
 */
import type { Options } from 'ajv';

export const AJV_OPTIONS: Options = {
  allErrors: true,
  // Errors carry their schema node: the mapper reads `errorMessage` and sibling properties from it.
  verbose: true,
  strict: true,
  strictRequired: false,
  strictTypes: false,
};

/** Annotation only: the human message shown for pattern / type / oneOf failures. */
export const ANNOTATION_KEYWORDS = ['errorMessage'];
