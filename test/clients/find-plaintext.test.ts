// biome-ignore-all lint/suspicious/noTemplateCurlyInString: client files hold literal ${VAR} references
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findPlaintext, isClientReference } from '../../src/clients/find-plaintext.js';

// Built at run time so that no token-shaped literal sits in the repo.
const GHP = `ghp_${'A1b2C3d4E5'.repeat(4)}`;
const BEARER = `Bearer ${'q7Zp4LmX9vRt2KsW'.repeat(2)}`;

function noValue(findings: unknown, ...values: string[]): void {
  const text = JSON.stringify(findings);
  for (const v of values) {
    assert.ok(!text.includes(v), 'a finding repeats the value');
    assert.ok(!text.includes(v.slice(0, 12)), 'a finding repeats a prefix of the value');
  }
}

describe('findPlaintext', () => {
  it('finds a GitHub token in env by its shape and names the key path', () => {
    const f = findPlaintext({ command: 'npx', args: ['-y', 'server-github'], env: { GITHUB_TOKEN: GHP } });
    assert.deepEqual(
      f.map((x) => x.path),
      ['env.GITHUB_TOKEN'],
    );
    assert.match(f[0]!.reason, /GitHub personal access token/);
    noValue(f, GHP, 'A1b2C3d4E5');
  });

  it('finds an Authorization header with a bearer credential of no known shape', () => {
    const f = findPlaintext({ url: 'https://mcp.example.com/mcp', headers: { Authorization: BEARER } });
    assert.deepEqual(f, [
      {
        path: 'headers.Authorization',
        reason: 'plaintext value under secret-like key "Authorization" (not a reference or placeholder)',
      },
    ]);
    noValue(f, BEARER, 'q7Zp4LmX9vRt');
  });

  it('finds secrets in args: after a flag, in --flag=value, in a header argument, by shape', () => {
    const f = findPlaintext({
      command: 'npx',
      args: [
        'mcp-remote',
        'https://x.example/sse',
        '--header',
        `Authorization: ${BEARER}`,
        '--api-key',
        'plain-s3cret-value',
        `--token=${'k'.repeat(3)}9zQ`,
        GHP,
      ],
    });
    assert.deepEqual(
      f.map((x) => x.path),
      ['args[3]', 'args[5]', 'args[6]', 'args[7]'],
    );
    noValue(f, BEARER, 'plain-s3cret-value', GHP);
  });

  it('finds { name, value } pairs and URL query secrets and quotes odd keys', () => {
    const f = findPlaintext({
      env: [{ name: 'API_TOKEN', value: 'abc123def456' }],
      url: 'https://mcp.example.com/sse?api_key=abcdef123456',
      headers: { 'X.Api.Token': 'zzz-secret-zzz' },
    });
    assert.deepEqual(
      f.map((x) => x.path),
      ['env[0].value', 'url', 'headers["X.Api.Token"]'],
    );
  });

  it('does not flag references, client variables, placeholders or non-secret keys', () => {
    const entries = [
      {
        command: 'npx',
        args: ['-y', '@modelcontextprotocol/server-filesystem', '/home/me'],
        env: { LOG_LEVEL: 'debug' },
      },
      { env: { GITHUB_TOKEN: '${env:GITHUB_TOKEN}' }, headers: { Authorization: 'Bearer ${env:API_TOKEN}' } },
      { environment: { GITHUB_TOKEN: '{env:GITHUB_TOKEN}' }, headers: { Authorization: 'Bearer {env:TOK}' } },
      { env: { A_TOKEN: '$A_TOKEN', B_TOKEN: '%B_TOKEN%', C_TOKEN: '$env:C_TOKEN', D_TOKEN: '${D_TOKEN}' } },
      { env: { API_KEY: '<your api key>', PASSWORD: 'changeme', SECRET: '', TOKEN_FILE: '/run/secrets/x' } },
      { env: { SORT_KEY: 'created_at', AUTH: 'oauth' }, args: ['--token', '${input:tok}'] },
      { url: 'https://mcp.example.com/mcp?api_key=${env:KEY}', type: 'http' },
    ];
    for (const e of entries) assert.deepEqual(findPlaintext(e), [], JSON.stringify(e));
  });

  it('a flag followed by another flag is not a value; odd keys are quoted, control characters escaped', () => {
    assert.deepEqual(findPlaintext({ args: ['--token', '--verbose'] }), []);
    const f = findPlaintext({ env: { 'A\nTOKEN': 'abc123xyz' } });
    assert.deepEqual(f, [
      {
        path: 'env["A\\nTOKEN"]',
        reason: 'plaintext value under secret-like key "A\\nTOKEN" (not a reference or placeholder)',
      },
    ]);
  });

  it('a token shape inside a reference is not a finding, outside it is', () => {
    assert.deepEqual(findPlaintext({ args: [`\${env:${GHP}}`] }), []);
    assert.equal(findPlaintext({ args: [`x ${GHP}`] }).length, 1);
  });

  it('isClientReference: the forms clients expand', () => {
    for (const v of ['{env:X}', '$X', '$env:X', '%X%', '${X}', 'env:X', 'Bearer {env:T}'])
      assert.ok(isClientReference(v), v);
    for (const v of ['abc123', 'Bearer abc123', '$1abc', 'x%Y%']) assert.ok(!isClientReference(v), v);
  });
});
