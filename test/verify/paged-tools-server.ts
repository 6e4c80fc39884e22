/**
 * A tiny stdio MCP server (script text) whose tools/list is split into pages of `pageSize`, in the
 * order given: verification must follow `nextCursor` and hash the same tools the same way however
 * they are paged or ordered.
 */
export function pagedToolsServerScript(names: string[], pageSize: number): string {
  const sdk = (p: string) => JSON.stringify(import.meta.resolve(`@modelcontextprotocol/sdk/${p}`));
  return `import { Server } from ${sdk('server/index.js')};
import { StdioServerTransport } from ${sdk('server/stdio.js')};
import { ListToolsRequestSchema } from ${sdk('types.js')};
const names = ${JSON.stringify(names)};
const tools = names.map((name) => ({ name, inputSchema: { type: 'object', properties: { b: { type: 'string' }, a: { type: 'number' } } } }));
const server = new Server({ name: 'paged', version: '1.0.0' }, { capabilities: { tools: {} } });
server.setRequestHandler(ListToolsRequestSchema, async (request) => {
  const start = Number(request.params?.cursor ?? 0);
  const end = start + ${pageSize};
  return { tools: tools.slice(start, end), ...(end < tools.length ? { nextCursor: String(end) } : {}) };
});
await server.connect(new StdioServerTransport());
`;
}
