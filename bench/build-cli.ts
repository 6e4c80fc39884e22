/**
 * The built CLI for benches (issue 16): scripts/build.mjs into a private package folder (dist/
 * plus links to what an installed package ships beside it: schemas, policies, templates,
 * node_modules), so a bench measures what users run — not tsx compiling the sources on every
 * start — and another bench or test rebuilding the checkout's dist/ never races it.
 */
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

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

export interface BuiltCliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI at `entry` in a child process with `env` added, bounded by `timeoutMs`. */
export function runBuiltCli(
  entry: string,
  args: readonly string[],
  env: Record<string, string>,
  timeoutMs = 900_000,
  nodeArgs: readonly string[] = [],
): Promise<BuiltCliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, entry, ...args], {
      env: { ...process.env, CI: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`mcp-gitops ${args.join(' ')} did not finish in ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}
