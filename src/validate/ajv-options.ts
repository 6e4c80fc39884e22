/** One ajv configuration for the runtime compiler and the precompiled validators alike. */
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
