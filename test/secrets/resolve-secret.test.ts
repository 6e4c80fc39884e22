import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { McpGitopsError } from '../../src/core/errors.js';
import { REDACTED, redactor } from '../../src/log/redact.js';
import { createSecretResolver, parseSecretRef } from '../../src/secrets/resolve-secret.js';

let dir: string;
let repo: string;
let home: string;
before(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mcp-gitops-secret-'));
  repo = path.join(dir, 'repo');
  home = path.join(dir, 'home');
  await fs.mkdir(path.join(repo, 'secrets'), { recursive: true });
  await fs.mkdir(path.join(home, '.secrets'), { recursive: true });
  await fs.writeFile(path.join(repo, 'secrets', 'token'), 'repo-secret-value-1\n');
  await fs.writeFile(path.join(home, '.secrets', 'token'), 'home-secret-value-2\r\n');
  await fs.writeFile(path.join(dir, 'outside'), 'outside-value-3');
  await fs.symlink(path.join(dir, 'outside'), path.join(repo, 'secrets', 'link'));
});
after(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const isSecretError = (pattern: RegExp) => (e: unknown) =>
  e instanceof McpGitopsError && e.code === 'ERR_SECRET' && pattern.test(e.message) && !!e.hint;

describe('parseSecretRef', () => {
  test('splits scheme and path', () => {
    assert.deepEqual(parseSecretRef('env:API_TOKEN'), {
      scheme: 'env',
      path: 'API_TOKEN',
      raw: 'env:API_TOKEN',
    });
    assert.deepEqual(parseSecretRef('file:~/a:b'), { scheme: 'file', path: '~/a:b', raw: 'file:~/a:b' });
    assert.equal(parseSecretRef('vault:kv/app#token').scheme, 'vault');
  });
  test('rejects unknown schemes, empty paths and bad variable names', () => {
    assert.throws(() => parseSecretRef('plain-value'), isSecretError(/no known scheme/));
    assert.throws(() => parseSecretRef('http:x'), isSecretError(/no known scheme/));
    assert.throws(() => parseSecretRef('env:'), isSecretError(/empty/));
    assert.throws(() => parseSecretRef('env:1BAD-NAME'), isSecretError(/not an environment variable name/));
  });
});

describe('createSecretResolver', () => {
  test('env: reads the given environment and registers the value for redaction', async () => {
    const canary = 'canary-env-value-8c1f3a';
    const secrets = createSecretResolver({ repoRoot: repo, env: { MY_TOKEN: canary }, home });
    assert.equal(await secrets.resolve('env:MY_TOKEN'), canary);
    assert.equal(redactor.redact(`token=${canary}`), `token=${REDACTED}`);
  });

  test('a missing variable names the ref, not a value', async () => {
    const secrets = createSecretResolver({ repoRoot: repo, env: {}, home });
    await assert.rejects(secrets.resolve('env:NOT_SET_HERE'), isSecretError(/env:NOT_SET_HERE.*not set/));
  });

  test('file: relative to the repo, ~/ against home, absolute; one trailing newline trimmed', async () => {
    const secrets = createSecretResolver({ repoRoot: repo, env: {}, home });
    assert.equal(await secrets.resolve('file:secrets/token'), 'repo-secret-value-1');
    assert.equal(await secrets.resolve('file:~/.secrets/token'), 'home-secret-value-2');
    assert.equal(await secrets.resolve(`file:${path.join(dir, 'outside')}`), 'outside-value-3');
    assert.equal(redactor.redact('repo-secret-value-1'), REDACTED);
  });

  test('relative paths may not escape the repo, not even through a symlink', async () => {
    const secrets = createSecretResolver({ repoRoot: repo, env: {}, home });
    await assert.rejects(secrets.resolve('file:../outside'), isSecretError(/escapes the config repo/));
    await assert.rejects(secrets.resolve('file:secrets/link'), isSecretError(/escapes the config repo/));
  });

  test('a missing file and unsupported schemes fail with ERR_SECRET', async () => {
    const secrets = createSecretResolver({ repoRoot: repo, env: {}, home });
    await assert.rejects(
      secrets.resolve('file:secrets/missing'),
      isSecretError(/file:secrets\/missing.*ENOENT/),
    );
    await assert.rejects(secrets.resolve('sops:secrets.enc.yaml#token'), isSecretError(/not supported yet/));
  });
});
