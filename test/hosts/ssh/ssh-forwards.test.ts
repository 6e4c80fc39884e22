/**
 * SshHost.forwardSocket / forwardPort against a real sshd on 127.0.0.1: the "remote" unix socket
 * and TCP server are on this machine, but the test only ever connects to the forward's local end,
 * and proves the path goes through ssh by stopping the master and seeing the forward die.
 */
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as net from 'node:net';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { execa } from 'execa';
import { SshHostError } from '../../../src/hosts/ssh/classify-ssh-error.js';
import { SshHost } from '../../../src/hosts/ssh/ssh-host.js';
import { requireTools } from '../../helpers/require-tools.js';
import { type Sshd, startSshd } from '../../helpers/sshd.js';

requireTools('sshd', 'ssh');

let sshd: Sshd;
let unixServer: net.Server;
let tcpServer: net.Server;
let remoteSocket: string;
let tcpPort = 0;

function hostFor(url = sshd.url): SshHost {
  return new SshHost({
    url,
    identityRef: `file:${sshd.identityFile}`,
    knownHosts: sshd.knownHosts,
    connectTimeoutMs: 3000,
  });
}

/** Connect, read until the peer ends; `ERR <code>` when the connection fails. */
function readFrom(options: net.NetConnectOpts): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(options);
    let data = '';
    socket.setTimeout(5000, () => socket.destroy(new Error('timeout')));
    socket.on('data', (chunk) => {
      data += chunk;
    });
    socket.on('end', () => resolve(data));
    socket.on('error', (err: NodeJS.ErrnoException) => resolve(`ERR ${err.code ?? err.message}`));
  });
}

before(async () => {
  sshd = await startSshd();
  remoteSocket = path.join(sshd.dir, 'remote.sock');
  unixServer = net.createServer((c) => c.end('unix hello\n')).listen(remoteSocket);
  tcpServer = net.createServer((c) => c.end('tcp hello\n'));
  await new Promise<void>((resolve) => tcpServer.listen(0, '127.0.0.1', resolve));
  tcpPort = (tcpServer.address() as net.AddressInfo).port;
});
after(async () => {
  unixServer?.close();
  tcpServer?.close();
  await sshd?.stop();
});

describe('SshHost forwards on the control master', () => {
  test('a unix socket forward lives in the private directory, is reused, and ends with close()', async () => {
    const host = hostFor();
    try {
      const forward = await host.forwardSocket(remoteSocket);
      const dir = path.dirname(forward.localPath);
      assert.equal(dir, path.dirname(host.controlPath!));
      assert.equal(statSync(dir).mode & 0o777, 0o700);
      assert.notEqual(forward.localPath, remoteSocket);
      assert.equal(await readFrom({ path: forward.localPath }), 'unix hello\n');
      const again = await host.forwardSocket(remoteSocket);
      assert.equal(again.localPath, forward.localPath, 'one forward per remote path');
      // Through ssh, not a shortcut: with the master gone the forward is gone too, and the next
      // call brings up a new master with a new forward.
      await execa('ssh', ['-F', 'none', '-o', `ControlPath=${host.controlPath}`, '-O', 'exit', 'x'], {
        reject: false,
      });
      assert.match(await readFrom({ path: forward.localPath }), /^ERR /);
      const renewed = await host.forwardSocket(remoteSocket);
      assert.notEqual(renewed.localPath, forward.localPath);
      assert.equal(await readFrom({ path: renewed.localPath }), 'unix hello\n');
      await renewed.close();
      assert.match(await readFrom({ path: renewed.localPath }), /^ERR /);
    } finally {
      await host.close();
    }
  });

  test('a port forward reaches an address as the host sees it; host.close() removes everything', async () => {
    const host = hostFor();
    const forward = await host.forwardPort('127.0.0.1', tcpPort);
    assert.notEqual(forward.localPort, tcpPort);
    assert.equal(await readFrom({ host: '127.0.0.1', port: forward.localPort }), 'tcp hello\n');
    assert.equal((await host.forwardPort('127.0.0.1', tcpPort)).localPort, forward.localPort);
    const dir = path.dirname(host.controlPath!);
    await host.close();
    assert.match(await readFrom({ host: '127.0.0.1', port: forward.localPort }), /^ERR /);
    await assert.rejects(fs.stat(dir), { code: 'ENOENT' });
  });

  test('a host that does not answer: forwarding fails with the classified ssh error', async () => {
    const closed = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const port = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(port));
      });
    });
    const host = hostFor(`ssh://root@127.0.0.1:${closed}`);
    try {
      await assert.rejects(host.forwardSocket(remoteSocket), (err: unknown) => {
        assert.ok(err instanceof SshHostError);
        assert.equal(err.reason, 'unreachable');
        return true;
      });
    } finally {
      await host.close();
    }
  });

  test('paths ssh cannot carry are refused before ssh runs', async () => {
    const host = hostFor();
    try {
      for (const bad of ['/tmp/a:b.sock', 'relative.sock', '/tmp/a b.sock']) {
        await assert.rejects(host.forwardSocket(bad), (err: Error & { hint?: string }) => {
          assert.match(err.message, /cannot forward/);
          assert.match(err.hint ?? '', /absolute socket path without colons or spaces/);
          return true;
        });
      }
    } finally {
      await host.close();
    }
  });
});
