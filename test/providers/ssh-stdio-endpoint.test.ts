import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { DesiredServer } from '../../src/core/state.js';
import { SshHost } from '../../src/hosts/ssh/ssh-host.js';
import { serverEndpoint } from '../../src/providers/client-config/server-endpoint.js';
import type { ProviderContext } from '../../src/providers/types.js';
import { verifyServer } from '../../src/verify/verify-server.js';
import { serverBin } from '../helpers/mcp-servers.js';
import { requireTools } from '../helpers/require-tools.js';
import { type Sshd, startSshd } from '../helpers/sshd.js';

requireTools('sshd', 'ssh');

// A stdio server registered on an ssh host is verified by running it there, through ssh.
describe('client-config: stdio servers on an ssh host are verified on the host', () => {
  let sshd: Sshd;
  let host: SshHost;
  const canary = `canary-${randomBytes(8).toString('hex')}`;

  before(async () => {
    sshd = await startSshd();
    host = new SshHost({
      url: sshd.url,
      home: sshd.dir,
      identityRef: `file:${sshd.identityFile}`,
      knownHosts: sshd.knownHosts,
    });
  });
  after(async () => {
    await host?.close();
    await sshd?.stop();
  });

  test('the handshake runs through ssh; the secret travels in a 0600 file, never on a command line', async () => {
    const memoryFile = path.join(sshd.dir, 'memory.jsonl');
    const server: DesiredServer = {
      name: 'memory',
      specHash: 'x',
      spec: {
        transport: 'stdio',
        command: { path: process.execPath, args: [serverBin('memory')] },
        env: { MEMORY_FILE_PATH: memoryFile },
        secrets: [{ name: 'CANARY_TOKEN', ref: 'env:MCP_TEST_CANARY' }],
      },
    } as DesiredServer;
    const ctx = {
      host,
      secrets: { resolve: async () => canary },
      redact: () => undefined,
      target: { name: 'vm', provider: 'client-config', host: sshd.url, settings: {}, servers: [server] },
      environment: { name: 'dev' },
    } as unknown as ProviderContext;

    const endpoint = await serverEndpoint(ctx, server);
    assert.ok(endpoint?.kind === 'stdio');
    assert.equal(endpoint.command, 'ssh');
    assert.deepEqual(endpoint.env, {});
    assert.ok(!endpoint.args.join(' ').includes(canary), 'the secret is not in ssh argv');
    assert.match(endpoint.display ?? '', new RegExp(`^${sshd.url}: ${process.execPath} `));

    const verified = await verifyServer(endpoint, { expectTools: ['create_entities'], timeoutMs: 20_000 });
    assert.equal(verified.error, undefined);
    assert.equal(verified.health, 'healthy');

    const envFiles = fs.readdirSync(path.join(sshd.dir, '.mcp-gitops/verify'));
    assert.equal(envFiles.length, 1);
    const envFile = path.join(sshd.dir, '.mcp-gitops/verify', envFiles[0]!);
    assert.equal(fs.statSync(envFile).mode & 0o777, 0o600);
    assert.ok(fs.readFileSync(envFile, 'utf8').includes(canary));
  });
});
