/** A tiny `command` server: one tool that reports the secret it sees and the address it listens on. */
export function canaryServerScript(): string {
  const sdk = (p: string) => JSON.stringify(import.meta.resolve(`@modelcontextprotocol/sdk/${p}`));
  return `import http from 'node:http';
import { Server } from ${sdk('server/index.js')};
import { StreamableHTTPServerTransport } from ${sdk('server/streamableHttp.js')};
import { CallToolRequestSchema, ListToolsRequestSchema } from ${sdk('types.js')};
const httpServer = http.createServer(async (req, res) => {
  const server = new Server({ name: 'canary', version: '1.0.0' }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: [{ name: 'whoami', description: 'secret and address', inputSchema: { type: 'object', properties: {} } }],
  }));
  server.setRequestHandler(CallToolRequestSchema, async () => ({
    content: [{ type: 'text', text: JSON.stringify({ token: process.env.CANARY_TOKEN, address: httpServer.address(), pid: process.pid }) }],
  }));
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  res.on('close', () => { transport.close(); server.close(); });
  await server.connect(transport);
  await transport.handleRequest(req, res);
});
httpServer.listen(Number(process.env.PORT), () => console.log('canary server listening'));
`;
}
