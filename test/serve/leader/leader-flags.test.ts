/** `serve`'s leader-election and shard flags are checked before anything starts, with usable messages. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import { describe, test } from 'node:test';
import { BIN } from '../../helpers/cli.js';

const serve = (...args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, 'serve', '--remote', 'http://127.0.0.1:9/x.git', ...args], {
    encoding: 'utf8',
    env: { ...process.env, HOME: os.tmpdir(), KUBECONFIG: '', KUBERNETES_SERVICE_HOST: '' },
    timeout: 30_000,
  });
  return { status: r.status, stderr: r.stderr };
};

describe('serve --leader-elect / --shard-selector flags', () => {
  for (const [args, message] of [
    [['--leader-elect', '--renew-deadline', '15s'], /--renew-deadline must be shorter than --lease-duration/],
    [['--leader-elect', '--retry-period', '9s'], /--retry-period must be well under --renew-deadline/],
    [
      ['--leader-elect', '--lease-duration', '1500ms', '--renew-deadline', '1s', '--retry-period', '200ms'],
      /whole seconds/,
    ],
    [['--leader-elect-lease', 'other'], /the --leader-elect-\* options need --leader-elect/],
    [['--leader-elect', '--leader-elect-lease', 'Not_A_Name'], /is not a Kubernetes object name/],
    [
      ['--leader-elect', '--leader-elect-advertise-url', 'http://u:p@10.0.0.1:8080'],
      /must not carry credentials/,
    ],
    [['--leader-elect', '--leader-elect-advertise-url', 'ftp://10.0.0.1'], /is not an http\(s\) URL/],
    [['--leader-elect', '--fleet'], /--fleet cannot be combined with --leader-elect/],
    [['--shard-selector', 'team'], /--shard-selector "team": "team" is not key=value/],
    [['--leader-elect'], /no kubeconfig found and not running in a cluster/],
  ] as const)
    test(`refused: ${args.join(' ')}`, () => {
      const r = serve(...args);
      assert.notEqual(r.status, 0);
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /u:p@/, 'credentials in a URL are never echoed');
    });
});
