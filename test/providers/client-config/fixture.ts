/** A temp home with user-owned client files, and a provider context for a client-config target on it. */
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Change } from '../../../src/core/plan.js';
import type { ServerSpec, TargetSpec } from '../../../src/core/resources.js';
import type { DesiredEnvironment, DesiredServer, DesiredTarget } from '../../../src/core/state.js';
import { LocalHost } from '../../../src/hosts/local-host.js';
import { createLogger } from '../../../src/log/logger.js';
import { redactor } from '../../../src/log/redact.js';
import type { ProviderContext } from '../../../src/providers/types.js';
import { createSecretResolver } from '../../../src/secrets/resolve-secret.js';

export const CANARY = 'canary-secret-7f3c9a1e5b';

/** Files a user already has, with their own servers and keys mcp-gitops does not know. */
export const USER_FILES: Record<string, string> = {
  'src/app/.mcp.json':
    '{\n  "mcpServers": {\n    "mine": { "command": "my-server", "args": ["--flag"] }\n  },\n  "x-note": "kept"\n}\n',
  'src/app/.cursor/mcp.json':
    '{\n\t"mcpServers": {\n\t\t"mine": {\n\t\t\t"url": "https://example.com/mcp"\n\t\t}\n\t}\n}\n',
  'src/app/.vscode/mcp.json':
    '{\n  // team servers\n  "servers": {\n    "mine": { "type": "stdio", "command": "x" }\n  },\n  "inputs": []\n}\n',
  'src/app/.gemini/settings.json': '{\n  "theme": "GitHub",\n  "general": { "vimMode": true }\n}\n',
  '.codex/config.toml': 'model = "o3"\n\n[mcp_servers.mine]\ncommand = "my-server"\n',
  '.config/Claude/claude_desktop_config.json': '{\n  "globalShortcut": "Ctrl+Space"\n}\n',
};

export interface Fixture {
  home: string;
  ctx: ProviderContext;
  target: DesiredTarget;
  environment: DesiredEnvironment;
  file(rel: string): string;
  read(rel: string): Promise<string>;
  cleanup(): Promise<void>;
}

export async function makeFixture(settings: Partial<TargetSpec>, files = USER_FILES): Promise<Fixture> {
  const home = await fs.mkdtemp(path.join(os.tmpdir(), 'mcp-gitops-cc-'));
  for (const [rel, text] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(home, rel)), { recursive: true });
    await fs.writeFile(path.join(home, rel), text);
  }
  const target: DesiredTarget = {
    environment: 'dev',
    name: 'laptop',
    provider: 'client-config',
    host: 'local',
    // No package fetches unless a test asks (prefetch*.test.ts): these tests are about files.
    settings: {
      name: 'laptop',
      provider: 'client-config',
      home,
      projectDir: '~/src/app',
      prefetch: false,
      ...settings,
    },
    servers: [],
  };
  const environment: DesiredEnvironment = {
    name: 'dev',
    vars: {},
    sync: { drift: 'correct', prune: true, maxDeletions: 10, suspend: false },
    targets: [target],
    fleet: [],
    hooks: [],
  };
  const ctx: ProviderContext = {
    host: new LocalHost({ home }),
    environment,
    target,
    secrets: createSecretResolver({ repoRoot: home, env: { MEMORY_TOKEN: CANARY }, home }),
    logger: createLogger({ level: 'silent' }),
    redact: (value) => redactor.add(value),
  };
  return {
    home,
    ctx,
    target,
    environment,
    file: (rel) => path.join(home, rel),
    read: (rel) => fs.readFile(path.join(home, rel), 'utf8'),
    cleanup: () => fs.rm(home, { recursive: true, force: true }),
  };
}

export function desired(name: string, spec: ServerSpec): DesiredServer {
  return { name, spec, specHash: `sha256:${JSON.stringify(spec).length}:${name}` };
}

export function change(action: Change['action'], server: DesiredServer | string): Change {
  const name = typeof server === 'string' ? server : server.name;
  return {
    environment: 'dev',
    target: 'laptop',
    server: name,
    action,
    reason: action === 'delete' ? 'prune' : 'spec',
    diffs: [],
    ...(typeof server === 'string' ? {} : { desired: server }),
  };
}

/** Every file under `dir`, recursively (relative paths). */
export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await fs.readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(path.relative(dir, path.join(entry.parentPath, entry.name)));
  }
  return out.sort();
}
