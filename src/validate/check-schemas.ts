/** Every document against its kind's JSON Schema (all errors, not just the first). */
import type { LoadedDocument } from '../core/config-set.js';
import type { Diagnostic } from '../core/diagnostics.js';
import type { Kind } from '../core/resources.js';
import { validatorFor } from './compile-schemas.js';
import { mapSchemaErrors } from './map-schema-errors.js';
import { schemaFor } from './schema-sources.js';

export interface SchemaResult {
  diagnostics: Diagnostic[];
  /** Documents with schema errors: deeper checks skip them. */
  invalid: Set<LoadedDocument>;
}

export function checkSchemas(documents: readonly LoadedDocument[]): SchemaResult {
  const diagnostics: Diagnostic[] = [];
  const invalid = new Set<LoadedDocument>();
  for (const doc of documents) {
    const kind = doc.kind as Kind;
    const validate = validatorFor(kind);
    if (validate(doc.value)) continue;
    invalid.add(doc);
    diagnostics.push(...mapSchemaErrors(doc, validate.errors ?? [], schemaFor(kind)));
  }
  return { diagnostics, invalid };
}
