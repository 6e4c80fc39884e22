/** A sandboxed laptop for agent tests: its own HOME, a real hub, the agent enrolled through the CLI. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { BundleBody } from '../../../src/fleet/hub/static-bundle-source.js';
import { type CliRunner, cliRunner } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/mcp-servers.js';
import { startTestHub, type TestHub } from './agent-hub.js';

export interface Laptop {
  home: string;
  stateDir: string;
  hub: TestHub;
  cli: CliRunner;
  machineId: string;
  /** `agent run --once`. */
  pass(): Promise<{ code: number; stdout: string; stderr: string }>;
  readClaude(): Promise<{ mcpServers: Record<string, Record<string, unknown>> }>;
  writeClaude(data: unknown): Promise<void>;
}

interface TestContext {
  after(fn: () => unknown): void;
}

export async function enrolledLaptop(
  t: TestContext,
  bundle: (home: string) => BundleBody,
  env: Record<string, string> = {},
): Promise<Laptop> {
  const home = await tempDir(t, 'agent-laptop-');
  const hub = await startTestHub(bundle(home));
  t.after(() => hub.close());
  const stateDir = path.join(home, '.local', 'state', 'mcp-gitops', 'agent');
  const cli = cliRunner({ HOME: home, MCP_GITOPS_HOME: home, ...env });
  const enrolled = await cli.run(['agent', 'enroll', hub.url, hub.token()]);
  assert.equal(enrolled.code, 0, enrolled.stderr);
  const identity = JSON.parse(await fs.readFile(path.join(stateDir, 'identity.json'), 'utf8')) as {
    machineId: string;
  };
  const claude = path.join(home, '.claude.json');
  return {
    home,
    stateDir,
    hub,
    cli,
    machineId: identity.machineId,
    pass: () => cli.run(['agent', 'run', '--once']),
    readClaude: async () => JSON.parse(await fs.readFile(claude, 'utf8')),
    writeClaude: (data) => fs.writeFile(claude, `${JSON.stringify(data, null, 2)}\n`),
  };
}
