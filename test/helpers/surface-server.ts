/**
 * A real MCP server (the SDK's low-level Server over stdio) whose tool surface is read from a JSON
 * file on every request: a test rewrites the file to play a server that changes what it offers at
 * run time (a rug pull, a poisoned description) without a version bump. Written as a plain .mjs
 * script so clients and providers can launch it with `node SCRIPT FILE`, like any stdio server.
 *
 * The file: `{ "tools": [...], "instructions"?: "...", "prompts"?: ["name"], "resourceTemplates"?:
 * ["uri-template"] }` — tools as `tools/list` returns them. Instructions are read at start (they
 * travel in the handshake), the rest on each request.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface SurfaceFile {
  tools: Record<string, unknown>[];
  instructions?: string;
  prompts?: string[];
  resourceTemplates?: string[];
}

export interface SurfaceServer {
  /** `node` and these args start it. */
  command: string;
  args: string[];
  script: string;
  file: string;
  /** Rewrites the surface the server reports from its next request on. */
  set(surface: SurfaceFile): void;
}

/** A two-tool surface (`echo` read-only, `add`) to start from. */
export function defaultSurface(): SurfaceFile {
  return {
    tools: [
      {
        name: 'echo',
        description: 'Echoes back the input message.',
        inputSchema: { type: 'object', properties: { message: { type: 'string' } }, required: ['message'] },
        annotations: { readOnlyHint: true },
      },
      {
        name: 'add',
        description: 'Adds two numbers.',
        inputSchema: {
          type: 'object',
          properties: { a: { type: 'number' }, b: { type: 'number' } },
          required: ['a', 'b'],
        },
      },
    ],
    prompts: ['greeting'],
  };
}

export function createSurfaceServer(dir: string, initial: SurfaceFile = defaultSurface()): SurfaceServer {
  fs.mkdirSync(dir, { recursive: true });
  const script = path.join(dir, 'surface-server.mjs');
  const file = path.join(dir, 'surface.json');
  fs.writeFileSync(script, surfaceServerScript());
  const set = (surface: SurfaceFile) => {
    // Whole-file replace, so a request never reads half a file.
    const tmp = `${file}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(surface, null, 2));
    fs.renameSync(tmp, file);
  };
  set(initial);
  return { command: process.execPath, args: [script, file], script, file, set };
}

function surfaceServerScript(): string {
  const sdk = (p: string) => JSON.stringify(import.meta.resolve(`@modelcontextprotocol/sdk/${p}`));
  return `import { readFileSync } from 'node:fs';
import { Server } from ${sdk('server/index.js')};
import { StdioServerTransport } from ${sdk('server/stdio.js')};
import {
  ListToolsRequestSchema, CallToolRequestSchema, ListPromptsRequestSchema, GetPromptRequestSchema,
  ListResourceTemplatesRequestSchema, ListResourcesRequestSchema,
} from ${sdk('types.js')};
const file = process.argv[2];
const read = () => JSON.parse(readFileSync(file, 'utf8'));
const first = read();
const server = new Server(
  { name: 'surface-server', version: '1.0.0' },
  {
    capabilities: { tools: { listChanged: true }, prompts: {}, resources: {} },
    ...(first.instructions ? { instructions: first.instructions } : {}),
  },
);
server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: read().tools }));
server.setRequestHandler(CallToolRequestSchema, async (request) => ({
  content: [{ type: 'text', text: JSON.stringify(request.params.arguments ?? {}) }],
}));
server.setRequestHandler(ListPromptsRequestSchema, async () => ({
  prompts: (read().prompts ?? []).map((name) => ({ name })),
}));
server.setRequestHandler(GetPromptRequestSchema, async (request) => ({
  messages: [{ role: 'user', content: { type: 'text', text: request.params.name } }],
}));
server.setRequestHandler(ListResourcesRequestSchema, async () => ({ resources: [] }));
server.setRequestHandler(ListResourceTemplatesRequestSchema, async () => ({
  resourceTemplates: (read().resourceTemplates ?? []).map((uriTemplate, i) => ({ uriTemplate, name: 'template' + i })),
}));
await server.connect(new StdioServerTransport());
`;
}
