/**
 * Schema validators, one per kind, created once per process: the precompiled ones in
 * `generated/` when they match `schemas/` byte for byte (the normal case), else compiled at runtime
 * with ajv from the schema files (slower, same result).
 */
import { createRequire } from 'node:module';
import type { ErrorObject } from 'ajv';
import type { Kind } from '../core/resources.js';
import { AJV_OPTIONS, ANNOTATION_KEYWORDS } from './ajv-options.js';
import * as generated from './generated/schema-validators.js';
import { schemaFor, schemasSha256 } from './schema-sources.js';

export interface SchemaValidator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

type AjvModule = typeof import('ajv/dist/2020.js');

const validators = new Map<Kind, SchemaValidator>();
let compiler: InstanceType<AjvModule['Ajv2020']> | undefined;

function compileAtRuntime(kind: Kind): SchemaValidator {
  if (!compiler) {
    const { Ajv2020 } = createRequire(import.meta.url)('ajv/dist/2020.js') as AjvModule;
    compiler = new Ajv2020(AJV_OPTIONS);
    compiler.addVocabulary(ANNOTATION_KEYWORDS);
  }
  return compiler.compile(schemaFor(kind));
}

export function validatorFor(kind: Kind): SchemaValidator {
  let validate = validators.get(kind);
  if (!validate) {
    const precompiled = (generated as unknown as Record<string, SchemaValidator | string>)[kind];
    validate =
      generated.SCHEMAS_SHA256 === schemasSha256() && typeof precompiled === 'function'
        ? precompiled
        : compileAtRuntime(kind);
    validators.set(kind, validate);
  }
  return validate;
}
