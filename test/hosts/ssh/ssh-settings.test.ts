import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { McpGitopsError } from '../../../src/core/errors.js';
import { classifySshStderr, sshFailure } from '../../../src/hosts/ssh/classify-ssh-error.js';
import { parseSshUrl } from '../../../src/hosts/ssh/parse-ssh-url.js';
import { type SshConnectionSettings, sshCommandArgs } from '../../../src/hosts/ssh/ssh-args.js';

describe('parseSshUrl', () => {
  test('user, host, port (default 22), IPv6 in brackets, canonical url', () => {
    assert.deepEqual(parseSshUrl('ssh://deploy@vm-1.example.com:2222'), {
      user: 'deploy',
      host: 'vm-1.example.com',
      port: 2222,
      url: 'ssh://deploy@vm-1.example.com:2222',
    });
    assert.equal(parseSshUrl('ssh://root@10.200.1.2').port, 22);
    assert.equal(parseSshUrl('ssh://root@10.200.1.2').url, 'ssh://root@10.200.1.2:22');
    assert.equal(parseSshUrl('ssh://a@[::1]:22').host, '::1');
  });

  test('refuses anything ssh could read as an option or a shell word', () => {
    for (const bad of [
      'ssh://-oProxyCommand=touch@x',
      'ssh://u@-oProxyCommand=x',
      'ssh://host-without-user',
      'ssh://u@h:0',
      'ssh://u@h:99999',
      'ssh://u@h;touch',
      'ssh://u@h x',
      'ssh://u@[not-ipv6]',
      'http://u@h',
      'ssh://u@h/path',
    ]) {
      assert.throws(
        () => parseSshUrl(bad),
        (e: unknown) => e instanceof McpGitopsError && e.code === 'ERR_HOST' && !!e.hint,
        bad,
      );
    }
  });
});

describe('sshCommandArgs', () => {
  const base: SshConnectionSettings = {
    address: parseSshUrl('ssh://deploy@vm:2222'),
    identityFile: '/keys/id 100%',
    knownHostsFile: '/etc/my known_hosts',
    acceptNewHostKey: false,
    connectTimeoutSec: 7,
    serverAliveIntervalSec: 15,
    controlPath: '/tmp/mcpgt-x/cm',
    controlPersistSec: 60,
  };

  test('strict host keys against the named file, batch mode, timeouts, one control socket', () => {
    const args = sshCommandArgs(base, 'true');
    const joined = args.join(' ');
    for (const expected of [
      '-F none',
      'BatchMode=yes',
      'StrictHostKeyChecking=yes',
      'UserKnownHostsFile="/etc/my known_hosts"',
      'GlobalKnownHostsFile=/dev/null',
      'ConnectTimeout=7',
      'ServerAliveInterval=15',
      'ControlMaster=auto',
      'ControlPath=/tmp/mcpgt-x/cm',
      'ControlPersist=60',
      '-i /keys/id 100%%',
      'IdentitiesOnly=yes',
      '-p 2222',
      '-l deploy',
    ]) {
      assert.ok(joined.includes(expected), expected);
    }
    assert.deepEqual(args.slice(-3), ['--', 'vm', 'true']);
  });

  test('accept-new only when asked; no multiplexing when there is no control path', () => {
    const joined = sshCommandArgs({ ...base, acceptNewHostKey: true, controlPath: undefined }, 'x').join(' ');
    assert.ok(joined.includes('StrictHostKeyChecking=accept-new'));
    assert.ok(joined.includes('ControlMaster=no') && joined.includes('ControlPath=none'));
    assert.throws(() => sshCommandArgs({ ...base, knownHostsFile: '/a"b' }, 'x'), /cannot be given/);
  });
});

describe('classifySshStderr', () => {
  const cases: [string, string][] = [
    [
      '@@@\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\nHost key for [127.0.0.1]:42222 has changed and you have requested strict checking.\nHost key verification failed.\n',
      'host-key-mismatch',
    ],
    [
      'No ED25519 host key is known for [127.0.0.1]:42222 and you have requested strict checking.\nHost key verification failed.\n',
      'host-key-unknown',
    ],
    ['root@127.0.0.1: Permission denied (publickey).\n', 'auth-refused'],
    ['ssh: connect to host 127.0.0.1 port 42223: Connection refused\n', 'unreachable'],
    ['ssh: connect to host 10.200.1.3 port 22: Connection timed out\n', 'unreachable'],
    ['Connection timed out during banner exchange\n', 'unreachable'],
    ['ssh: Could not resolve hostname nope.invalid: Name or service not known\n', 'unreachable'],
  ];
  for (const [stderr, reason] of cases) {
    test(`${reason}: ${stderr.trim().split('\n').pop()}`, () => {
      assert.equal(classifySshStderr(stderr), reason);
    });
  }

  test('messages name the host and the known_hosts file and carry a hint', () => {
    const ctx = { url: 'ssh://root@vm:22', knownHostsFile: '/kh', connectTimeoutSec: 5 };
    const mismatch = sshFailure('host-key-mismatch', cases[0]![0], ctx);
    assert.equal(mismatch.code, 'ERR_HOST');
    assert.match(mismatch.message, /ssh:\/\/root@vm:22.*does not match.*\/kh.*nothing was run/);
    assert.match(mismatch.hint!, /\/kh/);
    assert.match(sshFailure('host-key-unknown', '', ctx).hint!, /acceptNewHostKey/);
    assert.match(sshFailure('unreachable', cases[3]![0], ctx).message, /unreachable: ssh: connect to host/);
  });
});
