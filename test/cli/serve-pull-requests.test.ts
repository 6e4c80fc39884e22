/** `serve`'s pull request flags: parsed into the trust and sandbox settings, bad values refused by the real CLI. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { pullRequestSettings } from '../../src/cli/commands/serve-pull-requests.js';
import { cliRunner } from '../helpers/cli.js';

describe('serve --untrusted-prs and the sandbox limits', () => {
  test('parse into trust and limits', () => {
    assert.deepEqual(
      pullRequestSettings({
        untrustedPrs: 'ignore',
        trustedPrAuthors: ['octocat'],
        prTimeout: '45s',
        prMaxMemory: '256MiB',
        prMaxFetch: '10MiB',
      }),
      {
        trust: { untrusted: 'ignore', trustedAuthors: ['octocat'] },
        limits: { timeoutMs: 45_000, maxRssBytes: 256 * 1024 * 1024, maxFetchBytes: 10 * 1024 * 1024 },
      },
    );
  });

  test('an unknown mode is a usage error naming the choices', async () => {
    const res = await cliRunner({}).run([
      'serve',
      '--remote',
      'http://127.0.0.1:9/x.git',
      '--untrusted-prs',
      'yes',
    ]);
    assert.equal(res.code, 1);
    assert.match(res.stderr, /--untrusted-prs yes is not one of validate, plan, ignore \[ERR_USAGE\]/);
  });
});
