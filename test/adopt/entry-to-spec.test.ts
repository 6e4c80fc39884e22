/** Each client entry shape maps back to the ServerSpec mcp-gitops would write it from. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { entryToSpec } from '../../src/adopt/entry-to-spec.js';
import { stdioLaunch } from '../../src/clients/build-entry.js';

const TOKEN = `ghp_${'Zz9Yy8Xx7W'.repeat(4)}`;
const at = 'cursor (/p/.cursor/mcp.json)';

describe('entryToSpec', () => {
  test('npx -y pkg@ver → npm, scoped, with package arguments; round-trips through stdioLaunch', () => {
    const entry = { command: 'npx', args: ['-y', '@scope/srv@1.2.3', '--root', '/tmp'] };
    const { spec } = entryToSpec('fs', entry, at);
    assert.deepEqual(spec.package, {
      registryType: 'npm',
      identifier: '@scope/srv',
      version: '1.2.3',
      packageArguments: ['--root', '/tmp'],
    });
    assert.deepEqual(stdioLaunch(spec), entry);
  });
  test('uvx pkg==ver → pypi; docker run -i --rm -e X image:tag → oci', () => {
    assert.deepEqual(
      entryToSpec('t', { command: 'uvx', args: ['mcp-server-time==0.6.2'] }, at).spec.package,
      {
        registryType: 'pypi',
        identifier: 'mcp-server-time',
        version: '0.6.2',
      },
    );
    const docker = { command: 'docker', args: ['run', '-i', '--rm', '-e', 'LEVEL', 'ghcr.io/o/srv:1.0'] };
    const { spec } = entryToSpec('d', { ...docker, env: { LEVEL: 'debug' } }, at);
    assert.deepEqual(spec.package, { registryType: 'oci', identifier: 'ghcr.io/o/srv', version: '1.0' });
    assert.deepEqual(stdioLaunch(spec), docker);
  });
  test('an unpinned npx, or any other command, stays a command', () => {
    assert.deepEqual(entryToSpec('x', { command: 'npx', args: ['-y', 'srv'] }, at).spec.command, {
      path: 'npx',
      args: ['-y', 'srv'],
    });
    assert.deepEqual(entryToSpec('x', { command: ['node', 'a.js'] }, at).spec.command, {
      path: 'node',
      args: ['a.js'],
    });
  });
  test('url → remote: streamable-http, or sse when the entry says so; a secret header is left out and named', () => {
    const http = entryToSpec('docs', { type: 'http', url: 'https://x/mcp', headers: { 'X-Team': 'a' } }, at);
    assert.deepEqual(http.spec, {
      remote: { url: 'https://x/mcp', headers: { 'X-Team': 'a' } },
      transport: 'streamable-http',
    });
    assert.equal(entryToSpec('s', { type: 'sse', url: 'https://x/sse' }, at).spec.transport, 'sse');
    const auth = entryToSpec(
      'docs',
      { url: 'https://x/mcp', headers: { Authorization: `Bearer ${TOKEN}` } },
      at,
    );
    assert.deepEqual(auth.spec.remote, { url: 'https://x/mcp' });
    assert.deepEqual(
      auth.moved.map((m) => m.variable),
      ['DOCS_AUTHORIZATION'],
    );
    assert.ok(!JSON.stringify(auth).includes(TOKEN));
  });
  test('plaintext secrets → env:KEY references; client references → env:VAR; plain env kept; values never carried', () => {
    const r = entryToSpec(
      'gh',
      {
        command: 'node',
        args: ['gh.js'],
        env: {
          GITHUB_TOKEN: TOKEN,
          API_KEY: 'short',
          LEVEL: 'debug',
          // biome-ignore lint/suspicious/noTemplateCurlyInString: client reference syntax, not a JS template
          OTHER: '${env:OTHER_VAR}',
          SORT_KEY: 'id',
        },
      },
      at,
    );
    assert.deepEqual(r.spec.env, { LEVEL: 'debug', SORT_KEY: 'id' });
    assert.deepEqual(r.spec.secrets, [
      { name: 'GITHUB_TOKEN', ref: 'env:GITHUB_TOKEN' },
      { name: 'API_KEY', ref: 'env:API_KEY' },
      { name: 'OTHER', ref: 'env:OTHER_VAR' },
    ]);
    assert.deepEqual(
      r.moved.map((m) => m.variable),
      ['GITHUB_TOKEN', 'API_KEY'],
    );
    assert.ok(!JSON.stringify(r).includes(TOKEN) && !JSON.stringify(r).includes('short'));
  });
  test('a token on the command line is refused without echoing it', () => {
    assert.throws(
      () => entryToSpec('gh', { command: 'srv', args: ['--token', TOKEN] }, at),
      (err: Error) => /at args\[1\]/.test(err.message) && !err.message.includes(TOKEN),
    );
    assert.throws(
      () => entryToSpec('gh', { url: `https://x/mcp?api_key=${TOKEN}` }, at),
      (err: Error) => /at url/.test(err.message) && !err.message.includes(TOKEN),
    );
    // biome-ignore lint/suspicious/noTemplateCurlyInString: client reference syntax, not a JS template
    const forms = { A: '${env:VA}', B: '${VB}', C: '{env:VC}', D: '$VD', E: '%VE%' };
    assert.deepEqual(
      entryToSpec('v', { command: 'srv', env: forms }, at).spec.secrets?.map((b) => b.ref),
      ['env:VA', 'env:VB', 'env:VC', 'env:VD', 'env:VE'],
    );
  });
});
