/** A diagnostic at a node of a loaded document. */
import type { LoadedDocument } from '../core/config-set.js';
import type { Diagnostic, Severity } from '../core/diagnostics.js';

export function diagnosticAt(
  doc: LoadedDocument,
  path: readonly (string | number)[],
  message: string,
  rule: string,
  options: { which?: 'key' | 'value'; severity?: Severity } = {},
): Diagnostic {
  const loc = doc.locate(path, options.which ?? 'value');
  return {
    file: loc.file,
    line: loc.line,
    col: loc.col,
    severity: options.severity ?? 'error',
    message,
    rule,
  };
}

/** `servers/a.yaml:3:9`: where a document's name is, for "first defined at" messages. */
export function whereNamed(doc: LoadedDocument): string {
  const loc = doc.locate(['metadata', 'name']);
  return `${loc.file}:${loc.line}:${loc.col}`;
}
