/**
 * Where the product's own files live (schemas, environment presets, examples, the bin script).
 * This file is `src/init/` in a checkout and `dist/init/` in an installed package: the product
 * root is two levels up either way.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export function productRoot(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
}

export function productPath(...parts: string[]): string {
  return path.join(productRoot(), ...parts);
}

/** The executable that users run; hooks call it through the current node binary. */
export function binScript(): string {
  return productPath('bin', 'mcp-gitops.js');
}
