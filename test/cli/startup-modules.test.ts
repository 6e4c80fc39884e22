/**
 * What a command costs before it does anything: the modules evaluated at CLI start (the static
 * imports of src/cli/main.ts, as the esbuild bundle in dist/ loads them) and those `validate` adds.
 * Every command, `--help` and the pre-commit `validate` included, pays for them, so heavy packages
 * and the engine stay behind dynamic imports. One value import of the wrong module (as when serve's
 * option help took the PR limits from the pull-request planner) put 243 modules on every start.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface Closure {
  modules: string[];
  packages: string[];
}

/** Modules reached from `entry` through static imports only, and the npm packages they import. */
async function staticClosure(entry: string): Promise<Closure> {
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: [entry],
    bundle: true,
    write: false,
    splitting: true,
    format: 'esm',
    platform: 'node',
    packages: 'external',
    outdir: 'out',
    metafile: true,
    logLevel: 'silent',
  });
  const inputs: Metafile['inputs'] = result.metafile.inputs;
  const seen = new Set([entry]);
  const packages = new Set<string>();
  const queue = [entry];
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    for (const imported of inputs[file]?.imports ?? []) {
      if (imported.kind !== 'import-statement') continue;
      if (imported.external) {
        if (!imported.path.startsWith('node:')) packages.add(imported.path);
      } else if (!seen.has(imported.path)) {
        seen.add(imported.path);
        queue.push(imported.path);
      }
    }
  }
  return { modules: [...seen].sort(), packages: [...packages].sort() };
}

test('CLI start evaluates the command definitions, not the engine', async () => {
  const { modules, packages } = await staticClosure('src/cli/main.ts');
  assert.deepEqual(packages, ['commander']);
  // Small leaf modules of those areas that command definitions need for their help text.
  const leaves = new Set([
    'src/engine/progress-event.ts',
    'src/pr-plan/pr-limits.ts',
    'src/serve/limits.ts',
    'src/serve/read-body.ts',
  ]);
  const heavy = modules.filter(
    (m) =>
      /^src\/(engine|providers|clients|hosts|git|pr-plan|serve|validate|config|resolve|policy)\//.test(m) &&
      !leaves.has(m),
  );
  assert.deepEqual(heavy, []);
  assert.ok(modules.length < 80, `${modules.length} modules at start`);
});

test('validate evaluates no git, YAML-editing, process or logging package', async () => {
  const { packages } = await staticClosure('src/validate/run-validation.ts');
  for (const heavy of ['isomorphic-git', 'yaml', 'execa', 'pino', 'handlebars', 'dockerode']) {
    assert.ok(!packages.includes(heavy), `validate loads ${heavy} at start: ${packages.join(', ')}`);
  }
});
