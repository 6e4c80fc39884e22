/**
 * `check` says whether a reference would resolve, looking only at presence and readability: real
 * environment maps and real files; the value (a canary) is never returned, never in a reason, and
 * never registered with the redactor (checking keeps nothing).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { redactor } from '../../src/log/redact.js';
import { createSecretResolver } from '../../src/secrets/resolve-secret.js';

const CANARY = 'h4-check-canary-5d0c7e21b9';
let dir: string;
let repo: string;
let home: string;

before(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mcp-gitops-check-secret-'));
  repo = path.join(dir, 'repo');
  home = path.join(dir, 'home');
  await fs.mkdir(path.join(repo, 'secrets'), { recursive: true });
  await fs.mkdir(path.join(home, '.secrets', 'dir'), { recursive: true });
  await fs.writeFile(path.join(repo, 'secrets', 'token'), `${CANARY}\n`);
  await fs.writeFile(path.join(home, '.secrets', 'token'), CANARY);
  await fs.writeFile(path.join(home, '.secrets', 'empty'), '');
  await fs.writeFile(path.join(home, '.secrets', 'newline'), '\r\n');
  await fs.writeFile(path.join(dir, 'outside'), CANARY);
  await fs.symlink(path.join(dir, 'outside'), path.join(repo, 'secrets', 'link'));
});
after(() => fs.rm(dir, { recursive: true, force: true }));

describe('SecretResolver.check', () => {
  const resolver = () =>
    createSecretResolver({ repoRoot: repo, home, env: { SET: CANARY, EMPTY: '', PATH: '/usr/bin' } });

  test('references that would resolve pass', async () => {
    const r = resolver();
    for (const ref of [
      'env:SET',
      'file:secrets/token',
      'file:~/.secrets/token',
      `file:${home}/.secrets/token`,
    ])
      assert.equal(await r.check?.(ref), undefined, ref);
  });

  test('each way a reference would not resolve, with a hint', async () => {
    const r = resolver();
    const cases: [string, RegExp][] = [
      ['env:UNSET', /^environment variable UNSET is not set$/],
      ['env:EMPTY', /^environment variable EMPTY is not set$/],
      ['file:~/.secrets/missing', /^cannot read .*missing \(ENOENT\)$/],
      ['file:~/.secrets/empty', /empty$/],
      ['file:~/.secrets/newline', /newline is empty$/],
      ['file:~/.secrets/dir', /dir is not a regular file$/],
      ['file:../outside', /^the path escapes the config repo$/],
      ['file:secrets/link', /^the path escapes the config repo$/],
      ['vault:kv/app#token', /^the vault scheme is not supported yet$/],
      ['nothing', /has no known scheme/],
    ];
    for (const [ref, reason] of cases) {
      const found = await r.check?.(ref);
      assert.ok(found, `${ref} should not pass`);
      assert.match(found.reason, reason, ref);
      assert.ok(found.hint, `${ref} has a hint`);
    }
  });

  test('the value is never returned, quoted or registered for redaction', async () => {
    const r = resolver();
    const results = await Promise.all(
      ['env:SET', 'file:secrets/token', 'file:secrets/link', 'file:~/.secrets/token'].map((ref) =>
        r.check?.(ref),
      ),
    );
    assert.equal(JSON.stringify(results).includes(CANARY), false);
    assert.equal(redactor.redact(`x ${CANARY} y`), `x ${CANARY} y`, 'checking registered the value');
  });
});
