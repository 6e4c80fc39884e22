/**
 * Test MCP servers (script text) on the 2026-07-28 revision, built on the 2.x server SDK, that
 * refuse the 2025-era `initialize`: verification must reach them through `server/discover`. Over
 * stdio (`serveStdio`) or over HTTP (`createMcpHandler` behind a plain node:http adapter). Plus two
 * 2025-era stdio servers that mishandle the probe: one ignores unknown methods (silence), one
 * exits on them.
 */
const server = (p: string) => JSON.stringify(import.meta.resolve(`@modelcontextprotocol/server${p}`));

const FACTORY = `() => {
  const s = new McpServer({ name: 'modern-test', version: '2.1.0', title: 'Modern\\u200b test' }, { instructions: 'Use echo.' });
  s.registerTool('echo', { description: 'Echo back' }, async () => ({ content: [] }));
  s.registerTool('add', { description: 'Add numbers', annotations: { readOnlyHint: true } }, async () => ({ content: [] }));
  s.registerPrompt('greet', { description: 'Greeting' }, async () => ({ messages: [] }));
  s.registerResource('note', new ResourceTemplate('note://{id}', { list: undefined }), {}, async (uri) => ({ contents: [{ uri: uri.href, text: '' }] }));
  return s;
}`;

export function modernStdioServerScript(): string {
  return `import { McpServer, ResourceTemplate } from ${server('')};
import { serveStdio } from ${server('/stdio')};
serveStdio(${FACTORY}, { legacy: 'reject' });
`;
}

/** Listens on `port` (127.0.0.1) and prints `listening` once it does. */
export function modernHttpServerScript(port: number): string {
  return `import { createServer } from 'node:http';
import { McpServer, ResourceTemplate, createMcpHandler } from ${server('')};
const handler = createMcpHandler(${FACTORY}, { legacy: 'reject' });
createServer(async (req, res) => {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const body = chunks.length ? Buffer.concat(chunks) : undefined;
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
  const request = new Request('http://127.0.0.1:${port}' + req.url, { method: req.method, headers, ...(body && req.method !== 'GET' && req.method !== 'HEAD' ? { body } : {}) });
  const response = await handler.fetch(request);
  res.writeHead(response.status, Object.fromEntries(response.headers));
  if (response.body) for await (const chunk of response.body) res.write(chunk);
  res.end();
}).listen(${port}, '127.0.0.1', () => console.log('listening'));
`;
}

const LEGACY_REPLIES = `const reply = (m) => {
  if (m.method === 'initialize') return { protocolVersion: '2025-06-18', capabilities: { tools: {} }, serverInfo: { name: 'old-stdio', version: '0.9.0' } };
  if (m.method === 'tools/list') return { tools: [{ name: 'only', inputSchema: { type: 'object' } }] };
  return undefined;
};`;

/** 2025-era stdio server that answers nothing it does not know (no error, no exit). */
export function silentLegacyServerScript(): string {
  return `${LEGACY_REPLIES}
let buffer = '';
process.stdin.on('data', (d) => {
  buffer += d;
  let i;
  while ((i = buffer.indexOf('\\n')) >= 0) {
    const m = JSON.parse(buffer.slice(0, i));
    buffer = buffer.slice(i + 1);
    const result = m.id !== undefined ? reply(m) : undefined;
    if (result) process.stdout.write(JSON.stringify({ jsonrpc: '2.0', id: m.id, result }) + '\\n');
  }
});
`;
}

/** 2025-era stdio server that exits on any request before \`initialize\`. */
export function exitingLegacyServerScript(): string {
  return `${LEGACY_REPLIES}
let buffer = '';
let initialized = false;
process.stdin.on('data', (d) => {
  buffer += d;
  let i;
  while ((i = buffer.indexOf('\\n')) >= 0) {
    const m = JSON.parse(buffer.slice(0, i));
    buffer = buffer.slice(i + 1);
    if (m.id === undefined) continue;
    if (!initialized && m.method !== 'initialize') process.exit(1);
    initialized = true;
    process.stdout.write(JSON.stringify({ jsonrpc: '2.0', id: m.id, result: reply(m) ?? {} }) + '\\n');
  }
});
`;
}
