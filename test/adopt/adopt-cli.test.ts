/**
 * `mcp-gitops adopt` through the real CLI on a real git repo: hand-made Cursor, Claude Code and
 * VS Code entries in a sandboxed home/project (one holding a `ghp_` token) become Server YAML that
 * validates, with the token replaced by a reference and found nowhere in the repo, the output or
 * the inventory; the next reconcile changes nothing in the files of the entries without secrets.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { cliRunner } from '../helpers/cli.js';
import { createTempRepo } from '../helpers/temp-repo.js';

const TOKEN = `ghp_${'A1b2C3d4E5'.repeat(4)}`;
const base = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-adopt-'));
const home = path.join(base, 'home');
const proj = path.join(base, 'proj');
const state = path.join(base, 'state');
fs.mkdirSync(home);
const cli = cliRunner({ MCP_GITOPS_HOME: state, HOME: home });
const repo = createTempRepo('mcp-gitops-adopt-repo-');
const mcp = (args: string[]) => cli.run(['--repo', repo.dir, ...args]);

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
    - name: echo   # kept
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

describe('adopt (CLI, real git repo, sandboxed home)', { timeout: 300_000 }, () => {
  test('hand-made entries become validated Server YAML; the token only as a reference; reconcile rewrites nothing', async () => {
    repo.write(
      'mcp-gitops.yaml',
      'apiVersion: mcp-gitops/v1\nkind: Repository\nmetadata:\n  name: adopt\nspec:\n  branch: main\n',
    );
    repo.write('environments/dev.yaml', ENV_YAML);
    repo.write(
      'servers/echo.yaml',
      `apiVersion: mcp-gitops/v1\nkind: Server\nmetadata:\n  name: echo\nspec:\n  command:\n    path: ${process.execPath}\n    args: ["--version"]\n  transport: stdio\n`,
    );
    repo.commitAll('config');
    write(
      cursorFile,
      `{
  // my servers
  "mcpServers": {
    "fs": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem@2025.8.21", "/tmp"] },
    "gh": { "command": "node", "args": ["gh.js"], "env": { "GITHUB_TOKEN": "${TOKEN}", "LEVEL": "debug" } }
  }
}
`,
    );
    write(
      claudeFile,
      `{
  "mcpServers": {
    "fs": { "type": "stdio", "command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem@2025.8.21", "/tmp"] },
    "docs": { "type": "http", "url": "https://docs.example.com/mcp" }
  }
}
`,
    );
    write(
      vscodeFile,
      `{
  // workspace servers
  "servers": {
    "time": { "type": "stdio", "command": "uvx", "args": ["mcp-server-time==0.6.2"] }
  }
}
`,
    );

    const res = await mcp(['adopt', '--env', 'dev', '--target', 'laptop']);
    assert.equal(res.code, 0, res.stderr + res.stdout);
    for (const name of ['docs', 'fs', 'gh', 'time']) {
      assert.ok(fs.existsSync(path.join(repo.dir, 'servers', `${name}.yaml`)), `${name}.yaml\n${res.stdout}`);
    }
    const yaml = (n: string) => fs.readFileSync(path.join(repo.dir, 'servers', `${n}.yaml`), 'utf8');
    assert.match(
      yaml('fs'),
      /registryType: npm\n\s+identifier: "?@modelcontextprotocol\/server-filesystem"?\n\s+version: "2025.8.21"/,
    );
    assert.match(
      yaml('fs'),
      /Adopted by `mcp-gitops adopt` from claude-code, cursor\./,
      'one Server for two clients',
    );
    assert.match(yaml('time'), /registryType: pypi\n\s+identifier: mcp-server-time\n\s+version: "0.6.2"/);
    assert.match(
      yaml('docs'),
      /remote:\n\s+url: https:\/\/docs.example.com\/mcp\n\s+transport: streamable-http/,
    );
    assert.match(yaml('gh'), /secrets:\n\s+- name: GITHUB_TOKEN\n\s+ref: env:GITHUB_TOKEN/);
    assert.match(yaml('gh'), /LEVEL: debug/);
    assert.match(res.stdout, /set GITHUB_TOKEN in the environment of whoever runs reconcile/);
    assert.match(res.stdout, /plan will show gh as an update in cursor/);
    assert.match(res.stdout, /managed now, not rewritten .*: docs, fs, time/);

    const env = fs.readFileSync(path.join(repo.dir, 'environments/dev.yaml'), 'utf8');
    assert.equal(
      env,
      `${ENV_YAML}    - name: docs\n      targets: [laptop]\n    - name: fs\n      targets: [laptop]\n    - name: gh\n      targets: [laptop]\n    - name: time\n      targets: [laptop]\n`,
      'placement appended in place, comments kept',
    );
    assert.equal(repo.git('status', '--porcelain').includes('servers/gh.yaml'), true, 'not committed');

    const valid = await mcp(['validate']);
    assert.equal(valid.code, 0, valid.stdout + valid.stderr);

    // The token: nowhere in the repo, the output, or mcp-gitops's own state (inventory, logs).
    for (const f of filesUnder(repo.dir)) assert.ok(!fs.readFileSync(f, 'utf8').includes(TOKEN), f);
    const inventory = filesUnder(home).filter((f) => f.includes('inventory') && f.endsWith('.json'));
    assert.ok(inventory.length > 0, 'the inventory was written');
    for (const f of inventory) assert.ok(!fs.readFileSync(f, 'utf8').includes(TOKEN), f);

    repo.commitAll('adopt');
    // Each adopted entry's own line in its own file: the same after plan and reconcile.
    const line = (file: string, name: string) =>
      fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .find((l) => l.includes(`"${name}"`));
    const owned: [string, string][] = [
      [cursorFile, 'fs'],
      [claudeFile, 'fs'],
      [claudeFile, 'docs'],
      [vscodeFile, 'time'],
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
    // After plan, every adopted entry's own line is as the user wrote it.
    assert.deepEqual(
      owned.map(([f, n]) => line(f, n)),
      before,
    );

    for (const out of cli.transcript) assert.ok(!out.includes(TOKEN), 'the token in CLI output');
  });
});
