#!/usr/bin/env node
// In a source checkout (src/ present) run the TypeScript sources through tsx, so a stale dist/ can
// never shadow them (`npm link` runs this way); an installed package ships only dist/ and runs
// that. A checkout without its devDependencies falls back to a built dist/, else says what to do.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const src = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const dist = new URL('../dist/cli/main.js', import.meta.url);
const tsx =
  existsSync(src) && !process.env.MCP_GITOPS_USE_DIST
    ? await import('tsx/esm/api').catch(() => undefined)
    : undefined;
if (tsx) {
  tsx.register();
  await import(pathToFileURL(src).href);
} else if (existsSync(src) && !existsSync(fileURLToPath(dist))) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  process.stderr.write(
    `mcp-gitops: ${root} has no dist/ and no tsx to run its sources: run \`npm ci\` there (it installs tsx and builds dist/)\n`,
  );
  process.exitCode = 1;
} else {
  await import(dist.href);
}
