/** Pure: an imported Server as YAML, with its schema modeline and the import notes as comments. */
import { Document, isScalar } from 'yaml';
import type { ImportResult } from './to-server.js';

export function renderServerYaml(result: ImportResult, origin: string, schemaRef: string): string {
  const head = [
    `# yaml-language-server: $schema=${schemaRef}`,
    `# Imported by \`mcp-gitops import\` from ${origin} (${result.source}).`,
    ...result.notes.map((n) => `# NOTE: ${n}`),
  ];
  const doc = new Document(result.resource);
  // Versions are always quoted, as the docs show them: an unquoted 1.10 reads back as the number 1.1.
  const version = doc.getIn(['spec', 'package', 'version'], true);
  if (isScalar(version)) version.type = 'QUOTE_DOUBLE';
  return `${head.join('\n')}\n${doc.toString({ lineWidth: 0 })}`;
}
