/**
 * The `# yaml-language-server: $schema=...` first line that lets editors complete and check a
 * file. Generated repos point at the copies of the schemas that `init` puts in
 * `.mcp-gitops/schemas/`, so the comment works in any clone without network or node_modules.
 */
import * as path from 'node:path';
import type { Kind } from '../core/resources.js';

export const SCHEMAS_DIR = '.mcp-gitops/schemas';
const MODELINE = /^# yaml-language-server: \$schema=\S*\n/;

/** Relative path from a repo file to the schema of `kind` inside the repo (POSIX separators). */
export function schemaRef(fileInRepo: string, kind: Kind): string {
  const from = path.posix.dirname(fileInRepo);
  return path.posix.relative(from, `${SCHEMAS_DIR}/${kind.toLowerCase()}.schema.json`);
}

export function modeline(fileInRepo: string, kind: Kind): string {
  return `# yaml-language-server: $schema=${schemaRef(fileInRepo, kind)}\n`;
}

/** Replace the file's modeline (or add one) so it points at the repo's own schema copy. */
export function withModeline(text: string, fileInRepo: string, kind: Kind): string {
  return modeline(fileInRepo, kind) + text.replace(MODELINE, '');
}
