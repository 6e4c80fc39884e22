/**
 * `mcp-gitops adopt` through the real CLI on a real git repo: hand-made Cursor, Claude Code and
 * VS Code entries in a sandboxed home/project (one holding a `ghp_` token), all running the real
 * server-memory over stdio, become Server YAML that validates, with the token replaced by a
 * reference and found nowhere in the repo, the output or the inventory. `plan` then shows only the
 * token as drift, and `reconcile` leaves every adopted entry without a secret as the user wrote it.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { cliRunner } from '../helpers/cli.js';
import { serverBin } from '../helpers/mcp-servers.js';
import { createTempRepo } from '../helpers/temp-repo.js';

const TOKEN = `ghp_${'A1b2C3d4E5'.repeat(4)}`;
const base = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-adopt-'));
const home = path.join(base, 'home');
const proj = path.join(base, 'proj');
fs.mkdirSync(home);
const cli = cliRunner({ MCP_GITOPS_HOME: path.join(base, 'state'), HOME: home, GITHUB_TOKEN: '' });
const repo = createTempRepo('mcp-gitops-adopt-repo-');
const mcp = (args: string[]) => cli.run(['--repo', repo.dir, ...args]);
const node = JSON.stringify(process.execPath);
const memory = JSON.stringify(serverBin('memory'));
const memFile = (n: string) => JSON.stringify(path.join(base, `${n}.jsonl`));

const write = (file: string, text: string) => {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
};
const cursorFile = path.join(proj, '.cursor', 'mcp.json');
const claudeFile = path.join(proj, '.mcp.json');
const vscodeFile = path.join(proj, '.vscode', 'mcp.json');

const ENV_YAML = `apiVersion: mcp-gitops/v1
kind: Environment
metadata:
  name: dev
spec:
  # the laptop
  targets:
    - name: laptop
      provider: client-config
      clients: [cursor, claude-code, vscode]
      home: ${home}
      projectDir: ${proj}
  servers:
    - name: base   # kept
`;

after(() => {
  repo.cleanup();
  fs.rmSync(base, { recursive: true, force: true });
});

function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.join(d.parentPath, d.name))
    .filter((f) => !f.includes(`${path.sep}.git${path.sep}`));
}

const line = (file: string, name: string) =>
  fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .find((l) => l.includes(`"${name}"`))
    // A comma after it appears when reconcile adds another server behind it.
    ?.replace(/,$/, '');

describe('adopt (CLI, real git repo, sandboxed home, server-memory)', { timeout: 300_000 }, () => {
  test('hand-made entries become validated Server YAML; the token only as a reference; reconcile rewrites none', async () => {
    repo.write(
      'mcp-gitops.yaml',
      'apiVersion: mcp-gitops/v1\nkind: Repository\nmetadata:\n  name: adopt\nspec:\n  branch: main\n',
    );
    repo.write('environments/dev.yaml', ENV_YAML);
    repo.write(
      'servers/base.yaml',
      `apiVersion: mcp-gitops/v1\nkind: Server\nmetadata:\n  name: base\nspec:\n  command:\n    path: ${node}\n    args: [${memory}]\n  transport: stdio\n  env:\n    MEMORY_FILE_PATH: ${memFile('base')}\n`,
    );
    repo.commitAll('config');
    const mem = `"command": ${node}, "args": [${memory}]`;
    write(
      cursorFile,
      `{
  // my servers
  "mcpServers": {
    "memory": { ${mem}, "env": { "MEMORY_FILE_PATH": ${memFile('memory')} } },
    "gh": { ${mem}, "env": { "GITHUB_TOKEN": "${TOKEN}", "MEMORY_FILE_PATH": ${memFile('gh')} } }
  }
}
`,
    );
    write(
      claudeFile,
      `{
  "mcpServers": {
    "memory": { "type": "stdio", ${mem}, "env": { "MEMORY_FILE_PATH": ${memFile('memory')} } }
  }
}
`,
    );
    write(
      vscodeFile,
      `{
  // workspace servers
  "servers": {
    "memory": { "type": "stdio", ${mem}, "env": { "MEMORY_FILE_PATH": ${memFile('memory')} } }
  }
}
`,
    );

    const dry = await mcp(['adopt', '--env', 'dev', '--target', 'laptop', '--dry-run']);
    assert.equal(dry.code, 0, dry.stderr + dry.stdout);
    assert.match(dry.stdout, /would write servers\/gh\.yaml/);
    assert.ok(!fs.existsSync(path.join(repo.dir, 'servers', 'gh.yaml')), '--dry-run writes nothing');

    const res = await mcp(['adopt', '--env', 'dev', '--target', 'laptop']);
    assert.equal(res.code, 0, res.stderr + res.stdout);
    const yaml = (n: string) => fs.readFileSync(path.join(repo.dir, 'servers', `${n}.yaml`), 'utf8');
    assert.match(
      yaml('memory'),
      /Adopted by `mcp-gitops adopt` from claude-code, cursor, vscode\./,
      'one Server for three clients',
    );
    assert.match(yaml('memory'), /command:\n\s+path: /);
    assert.match(yaml('gh'), /secrets:\n\s+- name: GITHUB_TOKEN\n\s+ref: env:GITHUB_TOKEN/);
    assert.match(res.stdout, /set GITHUB_TOKEN in the environment of whoever runs reconcile/);
    assert.match(res.stdout, /plan will show gh as an update in cursor/);
    assert.match(res.stdout, /managed now, not rewritten .*: memory\n/);

    const env = fs.readFileSync(path.join(repo.dir, 'environments/dev.yaml'), 'utf8');
    assert.equal(
      env,
      `${ENV_YAML}    - name: gh\n      targets: [laptop]\n    - name: memory\n      targets: [laptop]\n`,
      'placement appended in place, comments kept',
    );
    assert.match(repo.git('status', '--porcelain'), /\?\? servers\//, 'left uncommitted for review');

    const valid = await mcp(['validate']);
    assert.equal(valid.code, 0, valid.stdout + valid.stderr);

    // The token: nowhere in the repo, nor in mcp-gitops's inventory.
    for (const f of filesUnder(repo.dir)) assert.ok(!fs.readFileSync(f, 'utf8').includes(TOKEN), f);
    const inventory = filesUnder(home).filter((f) => f.includes('inventory') && f.endsWith('.json'));
    assert.ok(inventory.length > 0, 'the inventory was written');
    for (const f of inventory) assert.ok(!fs.readFileSync(f, 'utf8').includes(TOKEN), f);

    repo.commitAll('adopt');
    const owned: [string, string][] = [
      [cursorFile, 'memory'],
      [claudeFile, 'memory'],
      [vscodeFile, 'memory'],
    ];
    const before = owned.map(([f, n]) => line(f, n));
    assert.ok(before.every(Boolean));
    const plan = await mcp(['plan', '--env', 'dev']);
    // No field of an adopted entry differs, except the token that becomes a reference.
    assert.doesNotMatch(plan.stdout, /~ (cursor|claude-code|vscode)\.(?!env\.GITHUB_TOKEN:)/, plan.stdout);
    assert.match(
      plan.stdout,
      /~ cursor\.env\.GITHUB_TOKEN: "\[hidden value that differs from the desired secret\]" → "\$\{env:GITHUB_TOKEN\}"/,
    );
    assert.doesNotMatch(plan.stdout, /memory: (create|update)/, plan.stdout);
    const rec = await mcp(['reconcile', '--env', 'dev']);
    assert.deepEqual(
      owned.map(([f, n]) => line(f, n)),
      before,
      `adopted entries rewritten\n${rec.stdout}${rec.stderr}`,
    );
    for (const out of cli.transcript) assert.ok(!out.includes(TOKEN), 'the token in CLI output');
  });
});
