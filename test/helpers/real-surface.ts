/**
 * The real tool surface of a test MCP server from node_modules (server-everything, server-memory,
 * server-filesystem), listed over stdio with the SDK client, as verification would capture it.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { buildSurface } from '../../src/surface/fingerprint.js';
import type { ToolSurface } from '../../src/surface/types.js';
import { serverBin, type TestServerPackage } from './mcp-servers.js';

export async function realSurface(name: TestServerPackage): Promise<ToolSurface> {
  const client = new Client({ name: 'mcp-gitops-test', version: '1.0.0' });
  const args = name === 'filesystem' ? [serverBin(name), process.cwd()] : [serverBin(name)];
  await client.connect(new StdioClientTransport({ command: process.execPath, args, stderr: 'ignore' }));
  try {
    const { tools } = await client.listTools();
    const instructions = client.getInstructions();
    return buildSurface({
      tools: tools as unknown as (Record<string, unknown> & { name: string })[],
      ...(instructions ? { instructions } : {}),
    });
  } finally {
    await client.close();
  }
}
