/**
 * The built CLI for benches (issue 16): scripts/build.mjs into a private package folder (dist/
 * plus links to what an installed package ships beside it: schemas, policies, templates,
 * node_modules), so a bench measures what users run — not tsx compiling the sources on every
 * start — and another bench or test rebuilding the checkout's dist/ never races it.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CliResult, runCli } from '../test/helpers/cli.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const SHIPPED = ['schemas', 'policies', 'environments', 'examples', 'templates', 'node_modules'];

/** Builds the CLI under `base`/pkg and returns the path of its entry (`dist/cli/main.js`). */
export function buildCli(base: string): string {
  const pkg = path.join(base, 'pkg');
  fs.mkdirSync(pkg);
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(pkg, 'package.json'));
  for (const entry of SHIPPED) {
    if (fs.existsSync(path.join(ROOT, entry))) fs.symlinkSync(path.join(ROOT, entry), path.join(pkg, entry));
  }
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs'), path.join(pkg, 'dist')], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  return path.join(pkg, 'dist/cli/main.js');
}

/** Runs the built CLI at `entry` in a child process with `env` added, bounded by `timeoutMs`. */
export function runBuiltCli(
  entry: string,
  args: readonly string[],
  env: Record<string, string>,
  timeoutMs = 900_000,
  nodeArgs: readonly string[] = [],
): Promise<CliResult> {
  return runCli(entry, args, env, timeoutMs, nodeArgs);
}
