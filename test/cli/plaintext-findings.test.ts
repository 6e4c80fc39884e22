/**
 * Plaintext secrets in client entries mcp-gitops does not manage, through the real CLI on a real
 * git repo: a sandboxed HOME with hand-made Cursor and Claude Code entries, one holding a GitHub
 * token in `env`, one an `Authorization: Bearer` header, beside entries without secrets and
 * mcp-gitops's own entry (written with a reference). `drift` and `plan` (text, Markdown, JSON) warn
 * with file, client, entry and key path; `reconcile` commits them in the report's `findings`; the
 * values appear in no output, report or commit (canaries); drift's exit code stays 0.
 */
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: client files hold literal ${VAR} references
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { cliRunner } from '../helpers/cli.js';
import { serverBin } from '../helpers/mcp-servers.js';
import { createTempRepo } from '../helpers/temp-repo.js';

// Built at run time: no token-shaped literal in the repo.
const GH_CANARY = `ghp_${'Zq9X4c7Lw2'.repeat(4)}`;
const BEARER_CANARY = `pf${'7Tn3Kx8Rv1'.repeat(3)}`;
const OWN_CANARY = `own-${'Yb5Hs2'.repeat(4)}`;
const CANARIES = [GH_CANARY, BEARER_CANARY, OWN_CANARY, GH_CANARY.slice(0, 10), BEARER_CANARY.slice(0, 10)];

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-plaintext-'));
const home = path.join(base, 'home');
fs.mkdirSync(path.join(home, '.cursor'), { recursive: true });
// A second target whose own entry holds the secret in plaintext (materializeSecrets): not a finding.
const home2 = path.join(base, 'home2');
fs.mkdirSync(path.join(home2, '.cursor'), { recursive: true });
const cli = cliRunner({ MCP_GITOPS_HOME: home, PF_OWN_CANARY: OWN_CANARY });
const repo = createTempRepo('mcp-gitops-plaintext-repo-');
const mcp = (args: string[]) => cli.run(['--repo', repo.dir, ...args]);

function assertNoCanary(text: string, where: string): void {
  for (const c of CANARIES) assert.ok(!text.includes(c), `${where} holds a secret value (or its prefix)`);
}

const GH_LINE =
  /~\/\.cursor\/mcp\.json: cursor entry "github" holds a plaintext secret at env\.GITHUB_TOKEN \(looks like a GitHub personal access token \(ghp_\)\)/;
const BEARER_LINE =
  /~\/\.claude\.json: claude-code entry "remote-api" holds a plaintext secret at headers\.Authorization/;

before(async () => {
  fs.writeFileSync(
    path.join(home, '.cursor', 'mcp.json'),
    `${JSON.stringify(
      {
        mcpServers: {
          github: {
            command: 'npx',
            args: ['-y', '@modelcontextprotocol/server-github'],
            env: { GITHUB_TOKEN: GH_CANARY },
          },
          files: {
            command: 'npx',
            args: ['-y', '@modelcontextprotocol/server-filesystem', '/tmp'],
            env: { LOG_LEVEL: 'debug' },
          },
          referenced: { command: 'npx', args: ['x'], env: { API_TOKEN: '${env:API_TOKEN}' } },
        },
      },
      null,
      2,
    )}\n`,
  );
  fs.writeFileSync(
    path.join(home, '.claude.json'),
    `${JSON.stringify(
      {
        numStartups: 3,
        mcpServers: {
          'remote-api': {
            type: 'http',
            url: 'https://mcp.example.com/mcp',
            headers: { Authorization: `Bearer ${BEARER_CANARY}` },
          },
          plain: { type: 'stdio', command: 'uvx', args: ['mcp-server-time'], env: {} },
        },
      },
      null,
      2,
    )}\n`,
  );
  repo.write(
    'mcp-gitops.yaml',
    'apiVersion: mcp-gitops/v1\nkind: Repository\nmetadata:\n  name: findings\nspec:\n  branch: main\n',
  );
  repo.write(
    'servers/memory.yaml',
    `apiVersion: mcp-gitops/v1\nkind: Server\nmetadata:\n  name: memory\nspec:\n  command:\n    path: ${process.execPath}\n    args: ["${serverBin('memory')}"]\n  transport: stdio\n  env:\n    MEMORY_FILE_PATH: "${path.join(base, 'memory.jsonl')}"\n  secrets:\n    - name: MEMORY_API_TOKEN\n      ref: env:PF_OWN_CANARY\n  health:\n    expectTools: [read_graph]\n    timeoutMs: 15000\n`,
  );
  repo.write(
    'environments/dev.yaml',
    `apiVersion: mcp-gitops/v1\nkind: Environment\nmetadata: { name: dev }\nspec:\n  targets:\n    - name: laptop\n      provider: client-config\n      clients: [cursor, claude-code]\n      home: ${home}\n    - name: materialized\n      provider: client-config\n      clients: [cursor]\n      materializeSecrets: true\n      home: ${home2}\n  servers:\n    - name: memory\n`,
  );
  repo.commitAll('config');
});
after(() => {
  repo.cleanup();
  fs.rmSync(base, { recursive: true, force: true });
});

describe('plaintext secrets in hand-made client entries are warnings (CLI, real git, sandboxed HOME)', {
  timeout: 300_000,
}, () => {
  test('plan warns in text, Markdown and JSON with file, client, entry and key path, never the value', async () => {
    const text = await mcp(['plan']);
    assert.equal(text.code, 0, text.stderr);
    assertNoCanary(text.stdout + text.stderr, 'plan');
    assert.match(text.stdout, GH_LINE);
    assert.match(text.stdout, BEARER_LINE);
    assert.match(text.stdout, /\[plaintext-secret\]/);
    assert.doesNotMatch(text.stdout, /entry "(files|referenced|plain|memory)"/);

    const md = await mcp(['plan', '--format', 'markdown']);
    assert.equal(md.code, 0, md.stderr);
    assertNoCanary(md.stdout + md.stderr, 'plan --format markdown');
    assert.match(md.stdout, /cursor entry "github" holds a plaintext secret at env\.GITHUB_TOKEN/);

    const json = await mcp(['plan', '--format', 'json']);
    assert.equal(json.code, 0, json.stderr);
    assertNoCanary(json.stdout + json.stderr, 'plan --format json');
    const plan = JSON.parse(json.stdout) as { warnings?: { code: string; message: string }[] };
    const found = (plan.warnings ?? []).filter((w) => w.code === 'plaintext-secret').map((w) => w.message);
    assert.equal(found.length, 2, JSON.stringify(plan.warnings));
  });

  test('reconcile writes its own entry with a reference, commits the findings in the report, no value anywhere', async () => {
    const run = await mcp(['reconcile']);
    assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
    assertNoCanary(run.stdout + run.stderr, 'reconcile');
    const cursor = JSON.parse(fs.readFileSync(path.join(home, '.cursor', 'mcp.json'), 'utf8')) as {
      mcpServers: Record<string, { env?: Record<string, string> }>;
    };
    assert.equal(cursor.mcpServers.memory?.env?.MEMORY_API_TOKEN, '${env:PF_OWN_CANARY}');
    assert.equal(cursor.mcpServers.github?.env?.GITHUB_TOKEN, GH_CANARY, 'the user entry is untouched');

    const report = JSON.parse(repo.git('show', 'HEAD:reports/dev/laptop.json')) as {
      findings?: { file: string; client: string; entry: string; path: string; reason: string }[];
    };
    assert.deepEqual(
      report.findings?.map((f) => [f.file, f.client, f.entry, f.path]),
      [
        ['~/.claude.json', 'claude-code', 'remote-api', 'headers.Authorization'],
        ['~/.cursor/mcp.json', 'cursor', 'github', 'env.GITHUB_TOKEN'],
      ],
    );
    const own = JSON.parse(fs.readFileSync(path.join(home2, '.cursor', 'mcp.json'), 'utf8')) as {
      mcpServers: Record<string, { env?: Record<string, string> }>;
    };
    assert.equal(own.mcpServers.memory?.env?.MEMORY_API_TOKEN, OWN_CANARY, 'materialized on purpose');
    const materialized = JSON.parse(repo.git('show', 'HEAD:reports/dev/materialized.json')) as {
      findings?: unknown;
    };
    assert.equal(materialized.findings, undefined, "mcp-gitops's own entries are not findings");
    const readme = repo.git('show', 'HEAD:reports/dev/README.md');
    assert.match(
      readme,
      /\| `~\/\.cursor\/mcp\.json` \| cursor \| `github` \| `env\.GITHUB_TOKEN` \| looks like a GitHub/,
    );
    assertNoCanary(readme, 'the Markdown report');
    assertNoCanary(repo.git('log', '-p', '--all'), 'the git history');
    assertNoCanary(
      fs.readFileSync(path.join(repo.dir, 'reports', 'dev', 'laptop.json'), 'utf8'),
      'the report',
    );
  });

  test('drift warns with file, entry and key; findings alone are not drift (exit 0 with --detailed-exitcode)', async () => {
    const drift = await mcp(['drift', '--detailed-exitcode']);
    assertNoCanary(drift.stdout + drift.stderr, 'drift');
    assert.equal(drift.code, 0, `${drift.stdout}\n${drift.stderr}`);
    assert.match(drift.stdout, /No drift/);
    assert.match(drift.stdout, GH_LINE);
    assert.match(drift.stdout, BEARER_LINE);
    assert.doesNotMatch(drift.stdout, /entry "(files|referenced|plain|memory)"/);
    assert.doesNotMatch(
      drift.stdout,
      /dev\/materialized/,
      "mcp-gitops's own materialized entry is not flagged",
    );

    // Once the token is a reference, the warning goes away.
    const file = path.join(home, '.cursor', 'mcp.json');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(GH_CANARY, '${env:GITHUB_TOKEN}'));
    const again = await mcp(['drift']);
    assert.equal(again.code, 0, again.stderr);
    assert.doesNotMatch(again.stdout, /entry "github"/);
    assert.match(again.stdout, BEARER_LINE);
  });
});
