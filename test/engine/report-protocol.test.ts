/**
 * Both protocol revisions through the real CLI on a real config repo and a real client-config
 * target: a 2026-07-28 server (2.x server SDK, refuses `initialize`) and server-everything
 * (2025-11-25) both verify, and the committed report names each one's revision, handshake and
 * surface (names and fingerprints only). Then an environment requiring 2026-07-28
 * (`health.minProtocolVersion`) fails the older one's verification with both revisions named.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import type { TargetReport } from '../../src/core/report.js';
import { cliRunner } from '../helpers/cli.js';
import { serverBin } from '../helpers/mcp-servers.js';
import { createTempRepo } from '../helpers/temp-repo.js';
import { modernStdioServerScript } from '../verify/modern-server.js';

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-protocol-'));
const home = path.join(base, 'home');
fs.mkdirSync(home);
const cli = cliRunner({ MCP_GITOPS_HOME: home });
const repo = createTempRepo();

function wrapper(name: string, exec: string): string {
  const file = path.join(base, `${name}.sh`);
  fs.writeFileSync(file, `#!/bin/sh\nexec ${exec}\n`, { mode: 0o755 });
  return file;
}

const modernScript = path.join(base, 'modern.mjs');
fs.writeFileSync(modernScript, modernStdioServerScript());
const modern = wrapper('modern', `"${process.execPath}" "${modernScript}"`);
const everything = wrapper('everything', `"${process.execPath}" "${serverBin('everything')}" stdio`);

const server = (name: string, command: string) =>
  `apiVersion: mcp-gitops/v1\nkind: Server\nmetadata: { name: ${name} }\nspec:\n  command: { path: ${command} }\n  transport: stdio\n  health: { timeoutMs: 20000 }\n`;
const environment = (health: string) =>
  `apiVersion: mcp-gitops/v1\nkind: Environment\nmetadata: { name: dev }\nspec:\n${health}  targets:\n    - name: laptop\n      provider: client-config\n      clients: [claude-code]\n      home: ${home}\n  servers:\n    - name: modern\n    - name: everything\n`;

function report(): TargetReport {
  return JSON.parse(fs.readFileSync(path.join(repo.dir, 'reports/dev/laptop.json'), 'utf8')) as TargetReport;
}
const entry = (name: string) => report().inventory.find((e) => e.server === name);

after(() => {
  repo.cleanup();
  fs.rmSync(base, { recursive: true, force: true });
});

describe('reports name each server protocol revision', { timeout: 300_000 }, () => {
  test('a 2026-07-28 server and server-everything both verify; the report records both revisions', async () => {
    repo.write(
      'mcp-gitops.yaml',
      'apiVersion: mcp-gitops/v1\nkind: Repository\nmetadata: { name: protocol }\nspec:\n  branch: main\n',
    );
    repo.write('servers/modern.yaml', server('modern', modern));
    repo.write('servers/everything.yaml', server('everything', everything));
    repo.write('environments/dev.yaml', environment(''));
    repo.commitAll('config');
    const rec = await cli.run(['--repo', repo.dir, 'reconcile']);
    assert.equal(rec.code, 0, rec.stderr + rec.stdout);

    const m = entry('modern')!;
    assert.equal(m.health, 'healthy');
    assert.equal(m.protocol?.protocolVersion, '2026-07-28');
    assert.equal(m.protocol?.handshake, 'discover');
    assert.deepEqual(m.protocol?.serverInfo, { name: 'modern-test', version: '2.1.0', title: 'Modern test' });
    assert.deepEqual(
      m.surface?.tools.map((t) => t.name),
      ['add', 'echo'],
    );
    assert.deepEqual(m.surface?.prompts, ['greet']);
    assert.deepEqual(m.surface?.resourceTemplates, ['note://{id}']);
    assert.match(m.surface?.instructionsFingerprint ?? '', /^sha256:/);

    const e = entry('everything')!;
    assert.equal(e.health, 'healthy');
    assert.equal(e.protocol?.protocolVersion, '2025-11-25');
    assert.equal(e.protocol?.handshake, 'initialize');
    assert.equal(e.surface?.tools.length, 13);

    const json = fs.readFileSync(path.join(repo.dir, 'reports/dev/laptop.json'), 'utf8');
    assert.ok(!json.includes('Echo back'), 'no tool description in the report');
    assert.ok(!json.includes('Use echo.'), 'no instructions text in the report');
    const readme = fs.readFileSync(path.join(repo.dir, 'reports/dev/README.md'), 'utf8');
    assert.match(readme, /\| `everything` \|.*\| 2025-11-25 \|/);
    assert.match(readme, /\| `modern` \|.*\| 2026-07-28 \|/);
  });

  test('an environment requiring 2026-07-28 fails the older server, naming both revisions', async () => {
    repo.write('environments/dev.yaml', environment("  health: { minProtocolVersion: '2026-07-28' }\n"));
    repo.commitAll('require 2026-07-28');
    const rec = await cli.run(['--repo', repo.dir, 'reconcile']);
    assert.notEqual(rec.code, 0, 'a failed verification fails the run');
    const failed = report().lastApply.find((r) => r.server === 'everything');
    assert.notEqual(failed?.outcome, 'applied');
    assert.match(
      failed?.message ?? '',
      /negotiated MCP protocol revision 2025-11-25 is older than health\.minProtocolVersion 2026-07-28/,
    );
    assert.equal(report().lastApply.find((r) => r.server === 'modern')?.outcome, 'applied');
  });
});
