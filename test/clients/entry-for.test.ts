// biome-ignore-all lint/suspicious/noTemplateCurlyInString: client files hold literal ${VAR} references
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MATERIALIZED_SECRET, stdioLaunch } from '../../src/clients/build-entry.js';
import { getClient } from '../../src/clients/registry.js';
import type { ServerSpec } from '../../src/core/resources.js';
import type { DesiredServer } from '../../src/core/state.js';

const server = (spec: ServerSpec, name = 'memory'): DesiredServer => ({ name, spec, specHash: 'h' });

const npmWithSecret: ServerSpec = {
  transport: 'stdio',
  package: {
    registryType: 'npm',
    identifier: '@modelcontextprotocol/server-memory',
    version: '2026.8.31',
    packageArguments: ['--x'],
  },
  env: { LOG_LEVEL: 'debug' },
  secrets: [{ name: 'API_TOKEN', ref: 'env:API_TOKEN' }],
};
const reference = { secretsMode: 'reference' as const };
const npxArgs = ['-y', '@modelcontextprotocol/server-memory@2026.8.31', '--x'];

describe('stdio launch per registry', () => {
  test('npm, pypi, oci and command', () => {
    assert.deepEqual(stdioLaunch(npmWithSecret), { command: 'npx', args: npxArgs });
    assert.deepEqual(
      stdioLaunch({
        transport: 'stdio',
        package: {
          registryType: 'pypi',
          identifier: 'mcp-server-git',
          version: '1.2.3',
          packageArguments: ['--repo', '.'],
        },
      }),
      { command: 'uvx', args: ['mcp-server-git==1.2.3', '--repo', '.'] },
    );
    assert.deepEqual(
      stdioLaunch({
        transport: 'stdio',
        package: { registryType: 'oci', identifier: 'ghcr.io/acme/mcp', version: '2.0.0' },
        env: { A: '1' },
        secrets: [{ name: 'TOKEN', ref: 'env:TOKEN' }],
      }),
      { command: 'docker', args: ['run', '-i', '--rm', '-e', 'A', '-e', 'TOKEN', 'ghcr.io/acme/mcp:2.0.0'] },
    );
    assert.deepEqual(
      stdioLaunch({ transport: 'stdio', command: { path: '/opt/bin/srv', args: ['--stdio'] } }),
      {
        command: '/opt/bin/srv',
        args: ['--stdio'],
      },
    );
  });
});

describe('entryFor: each client in its native syntax', () => {
  test('stdio entries with secrets as each client reads references', () => {
    const s = server(npmWithSecret);
    assert.deepEqual(getClient('claude-code').entryFor(s, reference), {
      type: 'stdio',
      command: 'npx',
      args: npxArgs,
      env: { LOG_LEVEL: 'debug', API_TOKEN: '${API_TOKEN}' },
    });
    assert.deepEqual(getClient('cursor').entryFor(s, reference), {
      command: 'npx',
      args: npxArgs,
      env: { LOG_LEVEL: 'debug', API_TOKEN: '${env:API_TOKEN}' },
    });
    assert.deepEqual(getClient('gemini-cli').entryFor(s, reference), {
      command: 'npx',
      args: npxArgs,
      env: { LOG_LEVEL: 'debug', API_TOKEN: '${API_TOKEN}' },
    });
    assert.deepEqual(getClient('vscode').entryFor(s, reference), {
      type: 'stdio',
      command: 'npx',
      args: npxArgs,
      env: { LOG_LEVEL: 'debug', API_TOKEN: '${input:mcp-gitops-memory-API_TOKEN}' },
    });
    assert.deepEqual(getClient('codex').entryFor(s, reference), {
      command: 'npx',
      args: npxArgs,
      env: { LOG_LEVEL: 'debug' },
      env_vars: ['API_TOKEN'],
    });
  });

  test('an env: ref under another name is referenced by its variable; a file: ref by the binding name', () => {
    const s = server({
      ...npmWithSecret,
      secrets: [
        { name: 'API_TOKEN', ref: 'env:MEMORY_TOKEN' },
        { name: 'DB_PASSWORD', ref: 'file:~/.secrets/db' },
      ],
    });
    assert.deepEqual(getClient('claude-code').entryFor(s, reference).env, {
      LOG_LEVEL: 'debug',
      API_TOKEN: '${MEMORY_TOKEN}',
      DB_PASSWORD: '${DB_PASSWORD}',
    });
    assert.match(
      String(getClient('codex').unsupported(s.spec, 'reference')),
      /by name only: secret API_TOKEN reads env:MEMORY_TOKEN/,
    );
    assert.equal(getClient('codex').unsupported(s.spec, 'materialize'), undefined);
  });

  test('materialize writes values; without values (render) a fixed placeholder', () => {
    const s = server(npmWithSecret);
    const values = { API_TOKEN: 'canary-1234' };
    for (const id of ['claude-code', 'claude-desktop', 'cursor', 'gemini-cli', 'vscode', 'codex']) {
      const entry = getClient(id).entryFor(s, { secretsMode: 'materialize', values });
      assert.deepEqual(entry.env, { LOG_LEVEL: 'debug', API_TOKEN: 'canary-1234' }, id);
      assert.equal(entry.env_vars, undefined, id);
      const rendered = getClient(id).entryFor(s, { secretsMode: 'materialize' });
      assert.equal((rendered.env as Record<string, string>).API_TOKEN, MATERIALIZED_SECRET, id);
    }
  });

  test('streamable-http and sse in each client URL form', () => {
    const http: ServerSpec = {
      transport: 'streamable-http',
      remote: { url: 'https://mcp.example.com/mcp', headers: { 'X-Team': 'a' } },
    };
    const sse: ServerSpec = { transport: 'sse', remote: { url: 'https://mcp.example.com/sse' } };
    const h = server(http);
    assert.deepEqual(getClient('claude-code').entryFor(h, reference), {
      type: 'http',
      url: 'https://mcp.example.com/mcp',
      headers: { 'X-Team': 'a' },
    });
    assert.deepEqual(getClient('vscode').entryFor(h, reference), {
      type: 'http',
      url: 'https://mcp.example.com/mcp',
      headers: { 'X-Team': 'a' },
    });
    assert.deepEqual(getClient('cursor').entryFor(h, reference), {
      url: 'https://mcp.example.com/mcp',
      headers: { 'X-Team': 'a' },
    });
    assert.deepEqual(getClient('gemini-cli').entryFor(h, reference), {
      httpUrl: 'https://mcp.example.com/mcp',
      headers: { 'X-Team': 'a' },
    });
    assert.deepEqual(getClient('codex').entryFor(h, reference), {
      url: 'https://mcp.example.com/mcp',
      http_headers: { 'X-Team': 'a' },
    });
    assert.deepEqual(getClient('gemini-cli').entryFor(server(sse), reference), {
      url: 'https://mcp.example.com/sse',
    });
    assert.deepEqual(getClient('claude-code').entryFor(server(sse), reference), {
      type: 'sse',
      url: 'https://mcp.example.com/sse',
    });
    // A served package gets the URL the engine found for it.
    const served = server({ transport: 'streamable-http', package: npmWithSecret.package, port: 40123 });
    assert.deepEqual(
      getClient('cursor').entryFor(served, { ...reference, endpointUrl: 'http://127.0.0.1:40123/mcp' }),
      {
        url: 'http://127.0.0.1:40123/mcp',
      },
    );
  });

  test('what a client cannot register is said, not written', () => {
    const http: ServerSpec = { transport: 'streamable-http', remote: { url: 'https://x/mcp' } };
    assert.match(String(getClient('claude-desktop').unsupported(http, 'reference')), /stdio servers/);
    assert.match(
      String(getClient('claude-desktop').unsupported(npmWithSecret, 'reference')),
      /materializeSecrets/,
    );
    assert.equal(getClient('claude-desktop').unsupported(npmWithSecret, 'materialize'), undefined);
    assert.match(
      String(
        getClient('codex').unsupported({ transport: 'sse', remote: { url: 'https://x/sse' } }, 'reference'),
      ),
      /not SSE/,
    );
    assert.match(
      String(getClient('cursor').unsupported({ transport: 'stdio' }, 'reference')),
      /no package, command or remote/,
    );
    assert.match(
      String(
        getClient('cursor').unsupported({ transport: 'stdio', remote: { url: 'https://x' } }, 'reference'),
      ),
      /remote server must use/,
    );
  });
});

describe('paths', () => {
  const ctx = { home: '/home/u' };
  test('project scope with projectDir, user scope without', () => {
    assert.equal(
      getClient('claude-code').path({ projectDir: '~/src/app' }, ctx),
      '/home/u/src/app/.mcp.json',
    );
    assert.equal(getClient('claude-code').path({}, ctx), '/home/u/.claude.json');
    assert.equal(getClient('cursor').path({ projectDir: '/w' }, ctx), '/w/.cursor/mcp.json');
    assert.equal(getClient('cursor').path({}, ctx), '/home/u/.cursor/mcp.json');
    assert.equal(getClient('vscode').path({ projectDir: '/w' }, ctx), '/w/.vscode/mcp.json');
    assert.throws(() => getClient('vscode').path({}, ctx), /needs the target to set projectDir/);
    assert.equal(getClient('gemini-cli').path({ projectDir: '/w' }, ctx), '/w/.gemini/settings.json');
    assert.equal(getClient('gemini-cli').path({}, ctx), '/home/u/.gemini/settings.json');
    assert.equal(getClient('codex').path({ projectDir: '/w' }, ctx), '/home/u/.codex/config.toml');
    assert.equal(
      getClient('claude-desktop').path({}, ctx),
      '/home/u/.config/Claude/claude_desktop_config.json',
    );
    assert.equal(
      getClient('claude-desktop').path({}, { ...ctx, platform: 'darwin' }),
      '/home/u/Library/Application Support/Claude/claude_desktop_config.json',
    );
  });
});
