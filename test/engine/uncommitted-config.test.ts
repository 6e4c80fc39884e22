/**
 * plan reads the committed config; edits not yet committed are named as warnings (real git repo,
 * real CLI), and disappear once committed.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { cliRunner } from '../helpers/cli.js';
import { createTempRepo } from '../helpers/temp-repo.js';

const repo = createTempRepo();
const home = mkdtempSync(join(tmpdir(), 'mcp-gitops-home-'));
const cli = cliRunner({ MCP_GITOPS_HOME: home, NO_COLOR: '1' });
after(() => {
  repo.cleanup();
  rmSync(home, { recursive: true, force: true });
});

const server = (name: string, version: string) => `apiVersion: mcp-gitops/v1
kind: Server
metadata: { name: ${name} }
spec:
  package: { registryType: npm, identifier: "@modelcontextprotocol/server-memory", version: "${version}" }
  transport: stdio
`;

repo.write(
  'mcp-gitops.yaml',
  'apiVersion: mcp-gitops/v1\nkind: Repository\nmetadata: { name: t }\nspec: { branch: main }\n',
);
repo.write('servers/memory.yaml', server('memory', '2026.8.31'));
repo.write('servers/old.yaml', server('old', '2026.8.31'));
repo.write(
  'environments/dev.yaml',
  `apiVersion: mcp-gitops/v1
kind: Environment
metadata: { name: dev }
spec:
  targets: [{ name: laptop, provider: client-config, clients: [cursor] }]
  servers: [{ name: memory }]
`,
);
repo.write('README.md', 'not config\n');
const revision = repo.commitAll('config');

test('plan names every config file that differs from the commit it reads, and only those', async () => {
  repo.write('servers/memory.yaml', server('memory', '2026.9.1'));
  repo.write('servers/new.yaml', server('new', '2026.8.31'));
  rmSync(join(repo.dir, 'servers/old.yaml'));
  repo.write('README.md', 'edited, but not config\n');
  const run = await cli.run(['plan', '--repo', repo.dir]);
  assert.equal(run.code, 0, run.stderr);
  const at = revision.slice(0, 12);
  const uses = `plan, apply and reconcile use the config committed at ${at}; commit this to use it`;
  const warnings = run.stderr.split('\n').filter((l) => l.includes('[uncommitted]'));
  assert.deepEqual(warnings, [
    `servers/memory.yaml:1:1: warning: changed since the last commit: ${uses} [uncommitted]`,
    `servers/new.yaml:1:1: warning: not committed: ${uses} [uncommitted]`,
    `servers/old.yaml:1:1: warning: deleted but not committed: ${uses} [uncommitted]`,
  ]);
  // The plan itself is the committed config's: version 2026.8.31, not the edited one.
  assert.match(run.stdout, /2026\.8\.31/);
  assert.doesNotMatch(run.stdout, /2026\.9\.1/);
});

test('once committed, the warnings are gone and the plan shows the edit', async () => {
  repo.commitAll('bump memory');
  const run = await cli.run(['plan', '--repo', repo.dir]);
  assert.equal(run.code, 0, run.stderr);
  assert.doesNotMatch(run.stderr, /uncommitted/);
  assert.match(run.stdout, /2026\.9\.1/);
});
