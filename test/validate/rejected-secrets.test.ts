/**
 * A value validation rejects is quoted in the message (`got "http"`), except one that may be a
 * credential: a token pasted where a `ref:` belongs must not be copied into a terminal, a CI log or
 * a pull-request comment by the very check that refuses it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { describeRejected } from '../../src/validate/describe-value.js';
import { buildCaseRepo, FIXTURES } from './corpus-repo.js';
import { runCli } from './run-cli.js';

const CANARY = `ghp_${'Zq7'.repeat(12)}`;
const work = mkdtempSync(join(tmpdir(), 'mcp-gitops-rejected-secret-'));
after(() => rmSync(work, { recursive: true, force: true }));

describe('rejected values that may be credentials', () => {
  test('a token shape, a random string or any string under a credential key is described by length', () => {
    assert.equal(
      describeRejected(['spec', 'secrets', 0, 'ref'], CANARY),
      'a string of 40 characters, not shown: it may be a credential',
    );
    assert.match(describeRejected(['spec', 'transport'], 'k9Xw2LmQ8vRt4ZpN7bYc3HfJ'), /not shown/);
    assert.match(describeRejected(['spec', 'updates', 'registries', 'npm', 'token'], 'hunter2'), /not shown/);
    // Ordinary values, references and placeholders stay quoted: they are what the user must fix.
    assert.equal(describeRejected(['spec', 'transport'], 'http'), '"http"');
    assert.equal(describeRejected(['spec', 'secrets', 0, 'ref'], 'envv:MY_TOKEN'), '"envv:MY_TOKEN"');
    assert.equal(describeRejected(['token'], 'env:NPM_TOKEN'), '"env:NPM_TOKEN"');
    assert.equal(describeRejected(['spec', 'port'], 70000), 'the number 70000');
    assert.equal(
      describeRejected(['apiUrl'], 'https://user:pw@github.example.com/api/v3'),
      '"https://***@github.example.com/api/v3"',
    );
  });

  test('validate names the file and line of a token pasted as a secret ref, without the token', async () => {
    const dir = join(work, 'repo');
    buildCaseRepo(join(FIXTURES, 'invalid', 'bad-port'), dir);
    const file = join(dir, 'servers', 'everything.yaml');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('port: 70000', 'port: 3001').replace('env:EVERYTHING_TOKEN', CANARY),
    );
    for (const format of ['text', 'json', 'github']) {
      const r = await runCli(['validate', '--repo', dir, '--format', format]);
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.match(r.stdout, /servers\/everything\.yaml/);
      assert.match(r.stdout, /secrets\[0\]\.ref/);
      assert.ok(!`${r.stdout}${r.stderr}`.includes(CANARY), `${format} output carries the token`);
      assert.ok(
        !`${r.stdout}${r.stderr}`.includes(CANARY.slice(0, 20)),
        `${format} output carries part of it`,
      );
    }
  });
});
