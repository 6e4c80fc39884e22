import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { McpGitopsError } from '../../../src/core/errors.js';
import { exportEnv, quote, quoteArgs } from '../../../src/hosts/ssh/quote.js';
import { execScript, writeFileScript } from '../../../src/hosts/ssh/remote-scripts.js';
import { hostileStrings } from './hostile-strings.js';

let dir: string;
let marker: string;
before(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mcpgt-quote-'));
  marker = path.join(dir, 'marker');
});
after(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const SHELLS = ['/bin/sh', '/bin/dash', '/bin/bash'].filter((s) => existsSync(s));

describe('quote', () => {
  test('every POSIX shell gets each hostile string back byte for byte, and runs nothing', () => {
    const words = hostileStrings(marker);
    for (const shell of SHELLS) {
      const out = execFileSync(shell, ['-c', `printf '%s\\0' ${quoteArgs(words)}`], { cwd: dir });
      assert.deepEqual(out.toString('utf8').split('\0').slice(0, -1), words, shell);
    }
    assert.equal(existsSync(marker), false, 'a quoted word was executed');
  });

  test('single quotes are closed, escaped and reopened; NUL is refused', () => {
    assert.equal(quote(''), "''");
    assert.equal(quote("it's"), `'it'\\''s'`);
    assert.throws(() => quote('a\0b'), McpGitopsError);
  });

  test('exportEnv quotes values and refuses names that are not identifiers', () => {
    assert.equal(exportEnv({ A: '$(x)', B_2: "'" }), `export A='$(x)'; export B_2=''\\'''`);
    for (const bad of ['A=B', '1A', 'A B', '$(x)', 'A;touch']) {
      assert.throws(() => exportEnv({ [bad]: 'v' }), /not valid/);
    }
  });
});

describe('remote scripts', () => {
  test('execScript delivers argv, env and cwd literally through sh', () => {
    const words = hostileStrings(marker);
    const env = { HOSTILE: words.join('|') };
    const script = execScript('printf', ['%s\\0', ...words, '--', 'end'], { env, cwd: dir, timeoutMs: 5000 });
    const out = execFileSync('/bin/sh', ['-c', script], { cwd: '/' }).toString('utf8');
    assert.deepEqual(out.split('\0').slice(0, -1), [...words, '--', 'end']);
    const envOut = execFileSync('/bin/sh', [
      '-c',
      execScript('sh', ['-c', 'printf %s "$HOSTILE"; pwd'], { env, cwd: dir }),
    ]);
    assert.equal(envOut.toString('utf8'), `${env.HOSTILE}${dir}\n`);
    const fromStdin = execScript('sh', ['-c', 'printf %s "$HOSTILE"'], { envOnStdin: true, cwd: dir });
    assert.ok(!fromStdin.includes('HOSTILE='), 'env value on the command line');
    const stdinOut = execFileSync('/bin/sh', ['-c', fromStdin], { input: exportEnv(env) });
    assert.equal(stdinOut.toString('utf8'), env.HOSTILE);
    assert.equal(existsSync(marker), false);
  });

  test('execScript refuses option-like command names and bad env names', () => {
    assert.throws(() => execScript('-c', []), /not a command name/);
    assert.throws(() => execScript('env', [], { env: { 'X=1 touch': 'y' } }), /not valid/);
  });

  test('writeFileScript writes a hostile file name atomically with the mode given', async () => {
    // The marker is relative to the shell's cwd (a file name cannot hold the absolute path's '/').
    const name = path.join(dir, 'out', "$(touch marker); 'x'\n*");
    const script = writeFileScript(name, { mode: 0o640, token: 'abc123' });
    execFileSync('/bin/sh', ['-c', script], { input: 'data\n', cwd: dir });
    assert.equal(await fs.readFile(name, 'utf8'), 'data\n');
    assert.equal((await fs.stat(name)).mode & 0o777, 0o640);
    assert.deepEqual(await fs.readdir(path.join(dir, 'out')), [path.basename(name)]);
    assert.equal(existsSync(marker), false);
    assert.throws(() => writeFileScript(name, { mode: 0o10000, token: 'a' }), /not valid/);
    assert.throws(() => writeFileScript(name, { token: "a'b" }), /token/);
  });
});
