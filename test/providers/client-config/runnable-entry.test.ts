// biome-ignore-all lint/suspicious/noTemplateCurlyInString: client files hold literal ${VAR} references
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { clientConfigProvider as provider } from '../../../src/providers/client-config/index.js';
import { serverBin } from '../../helpers/mcp-servers.js';
import { CANARY, change, desired, makeFixture } from './fixture.js';

test('the entry written for Claude Code starts a real MCP server once the client expands its reference', async (t) => {
  const fx = await makeFixture({ clients: ['claude-code'] });
  t.after(fx.cleanup);
  const server = desired('memory', {
    transport: 'stdio',
    command: { path: process.execPath, args: [serverBin('memory')] },
    env: { MEMORY_FILE_PATH: path.join(fx.home, 'memory.jsonl') },
    secrets: [{ name: 'MEMORY_TOKEN', ref: 'env:MEMORY_TOKEN' }],
  });
  assert.equal((await provider.apply(fx.ctx, change('create', server))).outcome, 'applied');

  const written = JSON.parse(await fx.read('src/app/.mcp.json')).mcpServers.memory;
  assert.equal(written.env.MEMORY_TOKEN, '${MEMORY_TOKEN}');
  // What Claude Code does at launch: expand ${VAR} from its own environment.
  const clientEnv: Record<string, string> = { MEMORY_TOKEN: CANARY };
  const env = Object.fromEntries(
    Object.entries(written.env as Record<string, string>).map(([k, v]) => [
      k,
      v.replace(/\$\{(\w+)\}/g, (_, n) => clientEnv[n] ?? ''),
    ]),
  );
  const transport = new StdioClientTransport({
    command: written.command,
    args: written.args,
    env: { ...getDefaultEnvironment(), ...env },
    stderr: 'ignore',
  });
  const client = new Client({ name: 'test', version: '1.0.0' });
  t.after(() => client.close());
  await client.connect(transport);
  const { tools } = await client.listTools();
  assert.ok(tools.some((tool) => tool.name === 'read_graph'));
});
