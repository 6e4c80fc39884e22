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
 * @kubernetes/client-node is the one npm package bundled in: its ES module build is ~970 files, and
 * loading them took ~0.8 s of every plan on a kubernetes target (bench/kube.ts), more than the
 * rest of the command. Bundled, esbuild keeps only what src/ uses, in the lazily loaded chunk of
 * the kubernetes code, with the dependencies it was installed with (its own js-yaml, not ours).
 * Their CommonJS code requires Node built-ins, hence a `require` at the top of each chunk.
 *
 * The report templates are precompiled here (scripts/precompile-report-templates.mjs): their
 * module replaces src/report/precompiled-templates.ts, which is empty in the sources, so the built
 * CLI renders reports with handlebars' runtime and never loads its compiler.
 *
 * Usage: node scripts/build.mjs [OUTDIR]   (default: dist)
 * BUILD_METAFILE=FILE also writes esbuild's metafile there: which chunk statically imports which
 * chunk and package, to see what a command loads before it runs (open it in esbuild's analyzer).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { precompiledTemplatesModule } from './precompile-report-templates.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = resolve(root, process.argv[2] ?? 'dist');

rmSync(outdir, { recursive: true, force: true });
/** Changes with any source file or package.json: config-cache entries are per build (src/config-cache/build-id.ts). */
const buildId = createHash('sha256');
const sources = readdirSync(join(root, 'src'), { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile())
  .map((e) => join(e.parentPath, e.name))
  .sort();
for (const file of [join(root, 'package.json'), ...sources])
  buildId.update(`${file.slice(root.length)}\0`).update(readFileSync(file));
/** npm packages stay external, except @kubernetes/client-node and what it imports. */
const externalPackages = {
  name: 'external-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@kubernetes/client-node') || args.importer.includes('/node_modules/'))
        return undefined;
      return { path: args.path, external: true };
    });
  },
};
/** src/report/precompiled-templates.ts becomes the precompiled report templates (see above). */
let templatesReplaced = false;
const reportTemplates = {
  name: 'report-templates',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]report[\\/]precompiled-templates\.ts$/ }, () => {
      templatesReplaced = true;
      return { contents: precompiledTemplatesModule(root), loader: 'js' };
    });
  },
};
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
  plugins: [externalPackages, reportTemplates],
  banner: {
    js: "import { createRequire as __mcpgCreateRequire } from 'node:module'; const require = __mcpgCreateRequire(import.meta.url);",
  },
  define: { __MCP_GITOPS_BUILD_ID__: JSON.stringify(buildId.digest('hex')) },
  sourcemap: true,
  logLevel: 'warning',
  metafile: true,
});
if (!templatesReplaced)
  throw new Error('src/report/precompiled-templates.ts was not bundled: reports would compile at run time');
if (process.env.BUILD_METAFILE) writeFileSync(process.env.BUILD_METAFILE, JSON.stringify(result.metafile));
const outputs = Object.keys(result.metafile.outputs).filter((f) => f.endsWith('.js'));
process.stdout.write(`built ${outputs.length} files in ${join(outdir)}\n`);
