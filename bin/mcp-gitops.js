#!/usr/bin/env node
// In a source checkout (src/ present) run the TypeScript sources through tsx, so a stale dist/ can
// never shadow them; an installed package ships only dist/ and runs that.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const src = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
if (existsSync(src) && !process.env.MCP_GITOPS_USE_DIST) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(src).href);
} else {
  await import(new URL('../dist/cli/main.js', import.meta.url).href);
}
