/**
 * `plan` warns about what apply would fail on — the real CLI on a real config repo, a real sshd as
 * the remote host, and a PATH without uvx:
 * - a secret reference that does not resolve (an unset variable; a missing file named by an
 *   environment's override), at the FILE:LINE of its `ref`; references that do resolve are quiet,
 *   and their values (a canary in a variable and in a file) never appear in any output;
 * - a server launched with uvx on a laptop whose PATH lacks it, and on an ssh host that lacks it,
 *   at the line of its `registryType`; npx, which both have, is not a warning;
 * - an ssh target that is down, at the line of its `host`;
 * - warnings in text, Markdown and JSON (goldens in test/preflight/golden/, `UPDATE_GOLDEN=1`
 *   rewrites them), counted in the summary line, exit code unchanged unless `--strict`.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Plan } from '../../src/core/plan.js';
import { cliRunner } from '../helpers/cli.js';
import { freePort } from '../helpers/mcp-servers.js';
import { type Sshd, startSshd } from '../helpers/sshd.js';
import { createTempRepo, type TempRepo } from '../helpers/temp-repo.js';

const GOLDEN = fileURLToPath(new URL('./golden/', import.meta.url));
const CANARY = 'h4-plan-canary-9c41d7e05a';
const FILE_CANARY = 'h4-plan-file-canary-3e8b2a77f1';

function golden(file: string, actual: string): void {
  const at = path.join(GOLDEN, file);
  if (process.env.UPDATE_GOLDEN === '1') {
    fs.mkdirSync(GOLDEN, { recursive: true });
    fs.writeFileSync(at, actual);
  } else if (!fs.existsSync(at)) assert.fail(`${at} is missing: run with UPDATE_GOLDEN=1 and review it`);
  else assert.equal(actual, fs.readFileSync(at, 'utf8'), `${file} differs (UPDATE_GOLDEN=1 rewrites it)`);
}

/** A bin directory with only the programs named: npx and what the CLI itself runs (git, ssh). */
function pathWith(dir: string, programs: string[]): string {
  fs.mkdirSync(dir, { recursive: true });
  for (const program of programs) {
    const found = ['/usr/local/bin', '/usr/bin', '/bin']
      .map((d) => path.join(d, program))
      .find((p) => fs.existsSync(p));
    assert.ok(found, `${program} is needed for this test`);
    fs.symlinkSync(found, path.join(dir, program));
  }
  return dir;
}

describe('plan preflight warnings (real CLI, real sshd)', { timeout: 180_000 }, () => {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-preflight-cli-'));
  const cleanups: (() => Promise<void> | void)[] = [() => fs.rmSync(base, { recursive: true, force: true })];
  after(async () => {
    for (const fn of cleanups.reverse()) await fn();
  });
  const home = path.join(base, 'home');
  const tokenFile = path.join(base, 'token');
  let sshd: Sshd;
  let repo: TempRepo;
  let downPort: number;
  let normalize: (text: string) => string;
  const cli = cliRunner({
    H4_CANARY: CANARY,
    FS_TOKEN: '',
    NO_COLOR: '1',
    PATH: pathWith(path.join(base, 'bin'), ['npx', 'git', 'ssh']),
    MCP_GITOPS_HOME: home,
  });

  before(async () => {
    fs.mkdirSync(home);
    fs.writeFileSync(tokenFile, `${FILE_CANARY}\n`);
    sshd = await startSshd({ after: (fn) => cleanups.push(fn) });
    downPort = await freePort();
    const ssh = (url: string) =>
      `      host: ${url}\n      identityFile: { ref: "file:${sshd.identityFile}" }\n      knownHosts: ${sshd.knownHosts}\n`;
    repo = createTempRepo('mcp-gitops-preflight-cli-repo-');
    cleanups.push(() => repo.cleanup());
    repo.write(
      'mcp-gitops.yaml',
      'apiVersion: mcp-gitops/v1\nkind: Repository\nmetadata: { name: preflight }\nspec: { branch: main }\n',
    );
    const server = (name: string, spec: string) =>
      repo.write(
        `servers/${name}.yaml`,
        `apiVersion: mcp-gitops/v1\nkind: Server\nmetadata: { name: ${name} }\nspec:\n${spec}`,
      );
    server(
      'fs',
      '  package:\n    registryType: npm\n    identifier: "@modelcontextprotocol/server-filesystem"\n    version: "2025.8.21"\n  transport: stdio\n' +
        `  secrets:\n    - name: FS_TOKEN\n      ref: env:FS_TOKEN\n    - name: CANARY\n      ref: env:H4_CANARY\n    - name: FROM_FILE\n      ref: file:${tokenFile}\n`,
    );
    server(
      'fetch',
      '  package:\n    registryType: pypi\n    identifier: mcp-server-fetch\n    version: "2025.4.7"\n  transport: stdio\n',
    );
    server(
      'memory',
      '  package:\n    registryType: npm\n    identifier: "@modelcontextprotocol/server-memory"\n    version: "2026.8.31"\n  transport: stdio\n' +
        '  secrets:\n    - name: MEMORY_TOKEN\n      ref: env:H4_CANARY\n',
    );
    repo.write(
      'environments/dev.yaml',
      'apiVersion: mcp-gitops/v1\nkind: Environment\nmetadata: { name: dev }\nspec:\n  targets:\n' +
        `    - name: laptop\n      provider: client-config\n      clients: [cursor]\n      home: ${home}\n` +
        `    - name: vm\n      provider: client-config\n      clients: [cursor]\n${ssh(sshd.url)}` +
        `    - name: down\n      provider: client-config\n      clients: [cursor]\n${ssh(`ssh://root@127.0.0.1:${downPort}`)}` +
        '  servers:\n    - name: fs\n      targets: [laptop]\n    - name: fetch\n      targets: [laptop, vm, down]\n' +
        '    - name: memory\n      targets: [laptop]\n      overrides:\n        secrets:\n          - name: MEMORY_TOKEN\n            ref: file:~/.secrets/memory-token\n',
    );
    repo.commitAll('config');
    normalize = (text) =>
      text
        .replaceAll(sshd.url, 'ssh://root@127.0.0.1:SSHD')
        .replaceAll(`127.0.0.1:${downPort}`, '127.0.0.1:DOWN')
        .replaceAll(`127.0.0.1 port ${downPort}`, '127.0.0.1 port DOWN')
        .replaceAll(home, '<home>')
        .replaceAll(base, '<base>')
        .replace(/^Revision `[0-9a-f]+`$/m, 'Revision `<rev>`');
  });

  after(() => {
    const all = cli.transcript.join('\n');
    assert.equal(all.includes(CANARY), false, 'a secret value from the environment reached the output');
    assert.equal(all.includes(FILE_CANARY), false, 'a secret value from a file reached the output');
  });

  test('text: each warning at its FILE:LINE with a hint, counted; a down target fails as before', async () => {
    const r = await cli.run(['--repo', repo.dir, 'plan']);
    assert.equal(r.code, 1, 'a stalled target fails plan, as before');
    golden('plan.txt', normalize(r.stdout));
    assert.match(
      r.stdout,
      /^ {2}servers\/fs\.yaml:12:12: warning: dev\/laptop\/fs: secret FS_TOKEN \(env:FS_TOKEN\) does not resolve/m,
    );
    assert.match(
      r.stdout,
      /^ {2}environments\/dev\.yaml:\d+:\d+: warning: dev\/laptop\/memory: secret MEMORY_TOKEN \(file:~\/\.secrets\/memory-token\)/m,
    );
    assert.match(
      r.stdout,
      /warning: dev\/vm\/fetch: uvx is not on the PATH of ssh:\/\/root@127\.0\.0\.1:\d+: /,
    );
    assert.doesNotMatch(
      r.stdout,
      /CANARY \(|FROM_FILE \(|npx is not/,
      'what resolves or exists is not a warning',
    );
    assert.match(r.stdout, /, 1 stalled, 5 warnings\.\n$/);
  });

  test('warnings alone do not change the exit code; --strict makes them fail', async () => {
    const plain = await cli.run(['--repo', repo.dir, 'plan', '--target', 'laptop']);
    assert.equal(plain.code, 0, plain.stdout + plain.stderr);
    assert.match(plain.stdout, /, 3 warnings\.\n$/);
    const detailed = await cli.run(['--repo', repo.dir, 'plan', '--target', 'laptop', '--detailed-exitcode']);
    assert.equal(detailed.code, 2);
    const strict = await cli.run(['--repo', repo.dir, 'plan', '--target', 'laptop', '--strict']);
    assert.equal(strict.code, 1);
    const vm = await cli.run(['--repo', repo.dir, 'plan', '--target', 'vm', '--strict']);
    assert.equal(vm.code, 1, 'vm lacks uvx');
  });

  test('markdown and JSON carry the same warnings', async () => {
    const md = await cli.run(['--repo', repo.dir, 'plan', '--format', 'markdown']);
    golden('plan.md', normalize(md.stdout));
    const json = await cli.run(['--repo', repo.dir, 'plan', '--format', 'json']);
    const plan = JSON.parse(json.stdout) as Plan;
    assert.equal(plan.summary.warnings, 5);
    golden(
      'plan-warnings.json',
      `${normalize(JSON.stringify({ summary: plan.summary, warnings: plan.warnings }, null, 2))}\n`,
    );
  });

  test('once the secrets resolve, only the missing program is left', async () => {
    fs.mkdirSync(path.join(home, '.secrets'));
    fs.writeFileSync(path.join(home, '.secrets', 'memory-token'), FILE_CANARY);
    const fixed = cliRunner({
      H4_CANARY: CANARY,
      FS_TOKEN: CANARY,
      NO_COLOR: '1',
      PATH: path.join(base, 'bin'),
      MCP_GITOPS_HOME: home,
    });
    const r = await fixed.run(['--repo', repo.dir, 'plan', '--target', 'laptop', '--strict']);
    assert.equal(r.code, 1);
    assert.deepEqual(
      r.stdout
        .split('\n')
        .filter((l) => l.includes(': warning: '))
        .map((l) => l.trim().replace(/:\d+:\d+:/, ':L:C:')),
      [
        'servers/fetch.yaml:L:C: warning: dev/laptop/fetch: uvx is not on the PATH of local: its clients launch pypi packages with uvx [runtime-missing]',
      ],
    );
    cli.transcript.push(...fixed.transcript);
  });

  test('apply prints what the plan foresaw above what then failed', async () => {
    fs.rmSync(path.join(home, '.secrets'), { recursive: true, force: true });
    const r = await cli.run(['--repo', repo.dir, 'apply', '--target', 'laptop']);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const warning = r.stdout.indexOf(
      'servers/fs.yaml:12:12: warning: dev/laptop/fs: secret FS_TOKEN (env:FS_TOKEN)',
    );
    assert.ok(warning >= 0, r.stdout);
    const failure = r.stdout.indexOf('dev/laptop: create fs: FAILED');
    assert.ok(failure > warning, r.stdout);
  });
});
