#!/usr/bin/env node
/**
 * Builds dist/: the CLI bundled by esbuild from src/ (ES modules, code-split at every dynamic
 * import, npm packages left external). `npm run typecheck` is the type check; this only emits.
 *
 * Why a bundle: `mcp-gitops validate` runs in pre-commit hooks, so its startup is paid on every
 * commit. As ~140 separate modules, Node's ES module loader spent ~50 ms resolving and reading
 * them for a 1,000-server repo (bench/validate.ts); one chunk per lazily loaded feature does not.
 *
 * Every output file sits two levels below the package root (dist/cli/, dist/validate/,
 * dist/lib/), like the sources in src/<area>/: code that finds the product's schemas/,
 * policies/ and templates/ relative to its own file works the same from src/ and from dist/.
 *
 * Usage: node scripts/build.mjs [OUTDIR]   (default: dist)
 */
import { rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = resolve(root, process.argv[2] ?? 'dist');

rmSync(outdir, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: {
    'cli/main': 'src/cli/main.ts',
    // The validation pipeline without the CLI, for bench/validate.ts.
    'validate/run-validation': 'src/validate/run-validation.ts',
  },
  outdir,
  chunkNames: 'lib/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
  metafile: true,
});
const outputs = Object.keys(result.metafile.outputs).filter((f) => f.endsWith('.js'));
process.stdout.write(`built ${outputs.length} files in ${join(outdir)}\n`);
