/**
 * A fleet target through the real CLI: `validate` accepts it, `plan` names it once in text and
 * JSON (never as a planned target), and `apply` writes nothing for it — the reconciler's engine
 * never observes or applies a fleet target; only the client-config target on this machine is
 * touched. A real git repo, a sandboxed HOME, the real server-memory for verification.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { cliRunner } from '../helpers/cli.js';
import { serverBin } from '../helpers/mcp-servers.js';
import { createTempRepo } from '../helpers/temp-repo.js';

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-fleet-plan-'));
after(() => fs.rmSync(base, { recursive: true, force: true }));

describe('fleet target through plan and apply (real CLI)', { timeout: 180_000 }, () => {
  const home = path.join(base, 'home');
  fs.mkdirSync(home);
  const repo = createTempRepo('mcp-gitops-fleet-plan-repo-');
  after(() => repo.cleanup());
  repo.write(
    'mcp-gitops.yaml',
    'apiVersion: mcp-gitops/v1\nkind: Repository\nmetadata: { name: fleet }\nspec: { branch: main }\n',
  );
  repo.write(
    'servers/memory.yaml',
    `apiVersion: mcp-gitops/v1\nkind: Server\nmetadata: { name: memory }\nspec:\n  command: { path: ${process.execPath}, args: [${serverBin('memory')}] }\n  transport: stdio\n  env: { MEMORY_FILE_PATH: ${path.join(base, 'memory.jsonl')} }\n  health: { expectTools: [read_graph], timeoutMs: 20000 }\n`,
  );
  repo.write(
    'environments/dev.yaml',
    [
      'apiVersion: mcp-gitops/v1',
      'kind: Environment',
      'metadata: { name: dev }',
      'spec:',
      '  targets:',
      '    - name: laptop',
      '      provider: client-config',
      '      clients: [cursor]',
      `      home: ${home}`,
      '      projectDir: ~/src/app',
      '    - name: laptops',
      '      provider: client-config',
      '      host: fleet',
      '      selector: { team: platform }',
      '      clients: [claude-code]',
      '      projectDir: ~/src/fleet-app',
      '      rollout: { waves: [5%, 100%] }',
      '  servers:',
      '    - name: memory',
      '',
    ].join('\n'),
  );
  repo.commitAll('config');
  const cli = cliRunner({ HOME: home, NO_COLOR: '1' });

  test('validate accepts it', async () => {
    const r = await cli.run(['--repo', repo.dir, 'validate']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
  });

  test('plan names the fleet target once and plans only the local target', async () => {
    const text = await cli.run(['--repo', repo.dir, 'plan']);
    assert.equal(text.code, 0, text.stderr);
    assert.equal(
      text.stdout.split('Fleet target dev/laptops: 1 server, applied by enrolled agents').length,
      2,
    );
    assert.match(text.stdout, /^dev\/laptop \(client-config on local\)$/m);
    assert.doesNotMatch(text.stdout, /^dev\/laptops \(/m);
    assert.doesNotMatch(text.stderr, /laptops/, 'the fleet target is never observed');

    const json = await cli.run(['--repo', repo.dir, 'plan', '--format', 'json']);
    assert.equal(json.code, 0, json.stderr);
    const plan = JSON.parse(json.stdout) as {
      targets: { target: string }[];
      fleet: { environment: string; target: string; servers: string[] }[];
    };
    assert.deepEqual(
      plan.targets.map((t) => t.target),
      ['laptop'],
    );
    assert.deepEqual(plan.fleet, [{ environment: 'dev', target: 'laptops', servers: ['memory'] }]);
  });

  test('apply writes the local target and nothing for the fleet target', async () => {
    const r = await cli.run(['--repo', repo.dir, 'apply']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.doesNotMatch(r.stdout + r.stderr, /dev\/laptops\//);
    const cursor = JSON.parse(fs.readFileSync(path.join(home, 'src/app/.cursor/mcp.json'), 'utf8')) as {
      mcpServers: Record<string, unknown>;
    };
    assert.ok(cursor.mcpServers.memory, 'the local target got its entry');
    assert.equal(
      fs.existsSync(path.join(home, 'src/fleet-app')),
      false,
      'no project file for the fleet target',
    );
    assert.equal(fs.existsSync(path.join(home, '.claude.json')), false, 'no claude-code config written');
  });
});
