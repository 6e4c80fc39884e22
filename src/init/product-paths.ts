/**
 * Where the product's own files live (schemas, environment presets, examples, the bin script).
 * This file is `src/init/` in a checkout and a chunk in `dist/lib/` in an installed package: the
 * product root is two levels up either way.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export function productRoot(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
}

export function productPath(...parts: string[]): string {
  return path.join(productRoot(), ...parts);
}

/** True in a source checkout (src/ beside bin/, run through tsx), false in an installed package. */
export function isSourceCheckout(): boolean {
  return existsSync(productPath('src', 'cli', 'main.ts'));
}

/** The executable that users run; hooks call it through the current node binary. */
export function binScript(): string {
  return productPath('bin', 'mcp-gitops.js');
}

/** The product's version, from its package.json (whatever runs the CLI: npm, a hook, a shell). */
export function productVersion(): string {
  const { version } = JSON.parse(readFileSync(productPath('package.json'), 'utf8')) as { version: string };
  return version;
}
