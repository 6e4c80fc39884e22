/**
 * A test tier on a machine without its tool fails at once and says what to install: real test
 * files run in a child `node --test` whose PATH holds every command of this machine but one
 * (symlinks, since /usr/bin holds podman and promtool next to everything else). Before the check,
 * a container file hung 300 s and a metrics file failed with `spawnSync promtool ENOENT`.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe, type TestContext, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { tempDir } from './mcp-servers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A directory of symlinks to every command on PATH except `omit` (first on PATH wins). */
async function pathWithout(t: TestContext, omit: string): Promise<string> {
  const dir = join(await tempDir(t), 'bin');
  mkdirSync(dir);
  for (const source of (process.env.PATH ?? '').split(delimiter)) {
    if (source === '' || !existsSync(source)) continue;
    for (const name of readdirSync(source)) {
      if (name !== omit && !existsSync(join(dir, name))) symlinkSync(join(source, name), join(dir, name));
    }
  }
  return dir;
}

/** `node --import tsx --test FILE` with PATH set; killed if it runs past 10 s. */
function runTestFile(
  file: string,
  path: string,
): Promise<{ code: number | null; killed: boolean; output: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: path };
  delete env.NODE_TEST_CONTEXT; // Run it as a top-level test run, not as a child of this one.
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', '--test', file],
      { cwd: ROOT, env, timeout: 10_000, killSignal: 'SIGKILL', maxBuffer: 8 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        done({ code, killed: Boolean(error?.killed), output: `${stdout}${stderr}` });
      },
    );
  });
}

describe('a test file whose tool is missing fails within 10 s, naming the package', {
  timeout: 60_000,
}, () => {
  test('a container test file without podman', async (t) => {
    const path = await pathWithout(t, 'podman');
    const run = await runTestFile('test/providers/container/container-provider.test.ts', path);
    assert.equal(run.killed, false, `still running after 10 s:\n${run.output}`);
    assert.equal(run.code, 1, run.output);
    assert.match(
      run.output,
      /needs tools this machine does not have:\n# {3}- podman \(Debian packages podman runc catatonit\)\n/,
    );
    assert.match(run.output, /Install them with: apt-get install podman runc catatonit\n/);
    assert.match(run.output, /\.ci\/run installs everything the tests need/);
    assert.doesNotMatch(run.output, /ENOENT/);
  });

  test('a metrics test file without promtool', async (t) => {
    const path = await pathWithout(t, 'promtool');
    const run = await runTestFile('test/metrics/record-run.test.ts', path);
    assert.equal(run.killed, false, `still running after 10 s:\n${run.output}`);
    assert.equal(run.code, 1, run.output);
    assert.match(
      run.output,
      /needs tools this machine does not have:\n# {3}- promtool \(Debian package prometheus\)\n/,
    );
    assert.match(run.output, /Install them with: apt-get install prometheus\n/);
    assert.match(run.output, /\.ci\/run installs everything the tests need/);
    assert.doesNotMatch(run.output, /ENOENT/);
  });
});
