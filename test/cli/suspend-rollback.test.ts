/**
 * Suspend, resume and a rollback that sticks, through the real CLI on a real git repo: a
 * client-config target (Claude Code's file in a temp home) running two server-memory instances
 * over stdio, verified over MCP. Steps run in order and share the repo:
 * reconcile → change → reconcile → `rollback` (suspends in a commit of its own) → a new config
 * change is not applied (held, reported, drift too) → `resume` → converges to the branch head;
 * `--no-suspend` (from a tag whose tree is suspended); `suspend --reason --push` to a real HTTP
 * git remote.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { cliRunner } from '../helpers/cli.js';
import { type GitHttpServer, startGitHttpServer } from '../helpers/git-http-server.js';
import { serverBin } from '../helpers/mcp-servers.js';
import { createTempRepo } from '../helpers/temp-repo.js';

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-suspend-'));
const home = path.join(base, 'home');
fs.mkdirSync(home);
const cli = cliRunner({ MCP_GITOPS_HOME: home });
const repo = createTempRepo('mcp-gitops-suspend-repo-');
let remote: GitHttpServer | undefined;

/** The environment file as people write it: comments, a blank line, flow and block styles. */
const ENV_YAML = `# yaml-language-server: $schema=../schemas/environment.schema.json
apiVersion: mcp-gitops/v1
kind: Environment
metadata: { name: dev }   # the laptop
spec:
  # where servers go
  targets:
    - name: laptop
      provider: client-config
      clients: [claude-code]   # only this one
      home: ${home}

  servers:
    - name: memory
    - name: notes
`;

function serverYaml(name: string, level: string): string {
  return `apiVersion: mcp-gitops/v1\nkind: Server\nmetadata:\n  name: ${name}\nspec:\n  command:\n    path: ${process.execPath}\n    args: ["${serverBin('memory')}"]\n  transport: stdio\n  env:\n    MEMORY_FILE_PATH: "${path.join(home, `${name}.jsonl`)}"\n    LEVEL: "${level}"\n  health:\n    expectTools: [read_graph]\n    timeoutMs: 15000\n`;
}

const setLevel = (level: string) => {
  repo.write('servers/memory.yaml', serverYaml('memory', level));
  return repo.commitAll(`memory: ${level}`);
};
const mcp = (args: string[]) => cli.run(['--repo', repo.dir, ...args]);
const claude = () =>
  JSON.parse(fs.readFileSync(path.join(home, '.claude.json'), 'utf8')) as {
    mcpServers: Record<string, { args: string[]; env: Record<string, string> }>;
  };
const level = () => claude().mcpServers.memory?.env.LEVEL;
const head = () => repo.git('rev-parse', 'HEAD');
const tags = () => repo.git('tag', '-l').split('\n').filter(Boolean);
const subject = (rev = 'HEAD') => repo.git('log', '-1', '--format=%s', rev);
const report = () =>
  JSON.parse(repo.git('show', 'HEAD:reports/dev/laptop.json')) as {
    suspended?: { reason?: string };
    conditions: { type: string; status: string; reason: string; message: string }[];
    drift: { server: string; paths: string[] }[];
    revision: { applied?: string };
  };
const ready = () => report().conditions.find((c) => c.type === 'Ready');

before(async () => {
  repo.write(
    'mcp-gitops.yaml',
    'apiVersion: mcp-gitops/v1\nkind: Repository\nmetadata:\n  name: suspend\nspec:\n  branch: main\n',
  );
  repo.write('servers/memory.yaml', serverYaml('memory', 'one'));
  repo.write('servers/notes.yaml', serverYaml('notes', 'one'));
  repo.write('environments/dev.yaml', ENV_YAML);
  repo.commitAll('config');
  const first = await mcp(['reconcile']);
  assert.equal(first.code, 0, first.stderr);
  setLevel('two');
  const second = await mcp(['reconcile']);
  assert.equal(second.code, 0, second.stderr);
  assert.deepEqual(tags(), ['dev/v1.0.0', 'dev/v1.0.1']);
  assert.equal(level(), 'two');
});
after(async () => {
  await remote?.close();
  repo.cleanup();
  fs.rmSync(base, { recursive: true, force: true });
});

describe('suspend, resume and a rollback that sticks (CLI, real git, client-config + server-memory)', {
  timeout: 600_000,
}, () => {
  let rollbackReports = '';

  test('rollback suspends dev in a commit of its own before the report commit, and says so everywhere', async () => {
    const before = head();
    const res = await mcp(['rollback', '--env', 'dev', '--to', 'dev/v1.0.0']);
    assert.equal(res.code, 0, res.stderr);
    const said =
      'rolled back to dev/v1.0.0 and suspended dev: a push will not undo it; `mcp-gitops resume --env dev` when ready';
    assert.ok(res.stdout.includes(`R${said.slice(1)}.`), res.stdout);
    assert.match(res.stdout, /^Suspended dev: committed [0-9a-f]{12} /m);
    assert.equal(level(), 'one', 'the rollback itself applied');

    // The suspension is its own commit, right before the rollback's report commit.
    assert.equal(repo.git('rev-parse', 'HEAD~2'), before);
    assert.equal(subject('HEAD~1'), 'suspend(dev): rolled back to dev/v1.0.0');
    assert.equal(
      repo.git('log', '-1', '--format=%an <%ae>', 'HEAD~1'),
      'mcp-gitops <mcp-gitops@users.noreply.local>',
    );
    assert.doesNotMatch(repo.git('log', '-1', '--format=%B', 'HEAD~1'), /Mcp-Gitops-Report/);
    assert.deepEqual(repo.git('diff', '--name-only', 'HEAD~2', 'HEAD~1').split('\n'), [
      'environments/dev.yaml',
    ]);
    assert.match(repo.git('log', '-1', '--format=%B'), /Mcp-Gitops-Report: true/);
    assert.ok(repo.git('log', '-1', '--format=%B').includes(said));
    const tag = tags().at(-1) as string;
    assert.equal(tag, 'dev/v1.0.2');
    assert.ok(repo.git('cat-file', '-p', tag).includes(said));

    // A structural edit: the file as written, plus the sync block.
    assert.equal(
      fs.readFileSync(path.join(repo.dir, 'environments/dev.yaml'), 'utf8'),
      ENV_YAML.replace(
        'spec:\n',
        'spec:\n  sync:\n    suspend: true\n    suspendReason: "rolled back to dev/v1.0.0"\n',
      ),
    );
    assert.equal(repo.git('status', '--porcelain'), '');
    assert.deepEqual(report().suspended, { reason: 'rolled back to dev/v1.0.0' });
    rollbackReports = head();
  });

  test('a new push with a config change is not applied: held and reported as suspended, drift too; exit 0, no tag', async () => {
    setLevel('three');
    // Someone edits the notes entry by hand: drift, which a suspended environment does not repair.
    const file = path.join(home, '.claude.json');
    const edited = claude();
    (edited.mcpServers.notes as { args: string[] }).args.push('--by-hand');
    fs.writeFileSync(file, JSON.stringify(edited, null, 2));
    const tagsBefore = tags();

    const plan = await mcp(['plan']);
    assert.equal(plan.code, 0, plan.stderr);
    assert.match(
      plan.stdout,
      /^Suspended: environment dev \(sync\.suspend\): rolled back to dev\/v1\.0\.0$/m,
    );
    assert.match(
      plan.stdout,
      /^Plan: 0 to create, 2 to update, 0 to delete, 0 unchanged, 1 drifted, 1 suspended\.$/m,
    );

    const res = await mcp(['reconcile']);
    assert.equal(res.code, 0, `${res.stdout}\n${res.stderr}`);
    assert.match(
      res.stdout,
      /^dev: SUSPENDED, nothing applied: environment dev is suspended \(sync\.suspend; mcp-gitops resume --env dev\): rolled back to dev\/v1\.0\.0$/m,
    );
    assert.match(
      res.stdout,
      /dev\/laptop: update memory: skipped — not applied: environment dev is suspended/,
    );
    assert.equal(level(), 'one', 'the pushed change is not applied');
    assert.ok(claude().mcpServers.notes?.args.includes('--by-hand'), 'the drift is not repaired');
    assert.deepEqual(tags(), tagsBefore, 'a suspended environment makes no tag');

    const r = report();
    assert.deepEqual(r.suspended, { reason: 'rolled back to dev/v1.0.0' });
    assert.deepEqual(r.drift, [{ server: 'notes', paths: ['claude-code.args[1]'] }]);
    assert.equal(ready()?.reason, 'Suspended');
    assert.match(ready()?.message ?? '', /not applied: memory \(update\), notes \(update\)/);
    assert.equal(
      r.revision.applied,
      repo.git('rev-parse', 'dev/v1.0.0^{commit}'),
      'what runs is the rollback',
    );

    const status = await mcp(['status']);
    assert.equal(status.code, 0, status.stderr);
    assert.match(
      status.stdout,
      /^dev: SUSPENDED \(sync\.suspend\): rolled back to dev\/v1\.0\.0\. Nothing is applied to it; `mcp-gitops resume --env dev` ends the suspension\.$/m,
    );
    assert.match(status.stdout, /^dev\/laptop \[client-config on local\]: Suspended$/m);
    const json = JSON.parse((await mcp(['status', '--format', 'json'])).stdout) as {
      suspended: { environment: string; reason?: string }[];
    };
    assert.deepEqual(json.suspended, [{ environment: 'dev', reason: 'rolled back to dev/v1.0.0' }]);

    // `apply` holds it back the same way.
    const apply = await mcp(['apply']);
    assert.equal(apply.code, 0, apply.stderr);
    assert.match(apply.stdout, /dev: SUSPENDED, nothing applied/);
    assert.equal(level(), 'one');
  });

  test('suspend on a suspended environment says so and commits nothing', async () => {
    const before = head();
    const res = await mcp(['suspend', '--env', 'dev', '--reason', 'again']);
    assert.equal(res.code, 0, res.stderr);
    assert.equal(
      res.stdout,
      'dev is already suspended (rolled back to dev/v1.0.0): sync.suspend is true in environments/dev.yaml. Nothing committed.\n',
    );
    assert.equal(head(), before);
  });

  test('a rollback while suspended still applies (it is the one apply a suspension lets through) and leaves it suspended', async () => {
    const res = await mcp(['rollback', '--env', 'dev', '--to', 'dev/v1.0.1']);
    assert.equal(res.code, 0, `${res.stdout}\n${res.stderr}`);
    assert.match(
      res.stdout,
      /^Rolled back to dev\/v1\.0\.1; dev was suspended already and stays so: a push will not undo it; `mcp-gitops resume --env dev` when ready\.$/m,
    );
    assert.doesNotMatch(res.stdout, /SUSPENDED, nothing applied/);
    assert.equal(level(), 'two');
    assert.doesNotMatch(subject('HEAD~1'), /^suspend\(dev\)/, 'no second suspend commit');
    assert.deepEqual(report().suspended, { reason: 'rolled back to dev/v1.0.0' }, 'the reason it has stays');
  });

  test('resume commits the file back to its bytes; the next reconcile converges to the branch head', async () => {
    const res = await mcp(['resume', '--env', 'dev']);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /^Resumed dev: committed [0-9a-f]{12} on main/);
    assert.equal(subject(), 'resume(dev)');
    assert.equal(fs.readFileSync(path.join(repo.dir, 'environments/dev.yaml'), 'utf8'), ENV_YAML);
    assert.equal(repo.git('show', 'HEAD:environments/dev.yaml'), ENV_YAML.trimEnd());

    const tagsBefore = tags();
    const run = await mcp(['reconcile']);
    assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
    assert.equal(level(), 'three', 'converged to the branch head');
    assert.ok(!claude().mcpServers.notes?.args.includes('--by-hand'), 'drift repaired');
    assert.equal(tags().length, tagsBefore.length + 1, 'applying again is a release');
    assert.equal(report().suspended, undefined);
    assert.equal(ready()?.status, 'True');
    assert.doesNotMatch((await mcp(['status'])).stdout, /SUSPENDED|Suspended/);

    const again = await mcp(['resume', '--env', 'dev']);
    assert.equal(again.stdout, 'dev is not suspended (environments/dev.yaml). Nothing committed.\n');
  });

  test('--no-suspend from a tag whose tree is suspended: applied, not suspended, and the next reconcile undoes it', async () => {
    // A tag on the suspended report commit of the rollback above: LEVEL two at the time, suspend: true.
    repo.git('tag', 'dev/suspended-two', rollbackReports);
    assert.match(repo.git('show', 'dev/suspended-two:environments/dev.yaml'), /suspend: true/);
    setLevel('four');
    assert.equal((await mcp(['reconcile'])).code, 0);
    assert.equal(level(), 'four');

    const res = await mcp(['rollback', '--env', 'dev', '--to', 'dev/suspended-two', '--no-suspend']);
    assert.equal(res.code, 0, `${res.stdout}\n${res.stderr}`);
    assert.match(
      res.stdout,
      /^Rolled back to dev\/suspended-two, not suspended \(--no-suspend\): the next reconcile of the branch head undoes it\.$/m,
    );
    assert.equal(level(), 'two', "the tag's own suspend: true does not hold the rollback back");
    assert.doesNotMatch(repo.git('show', 'HEAD:environments/dev.yaml'), /sync:/);
    assert.equal(
      report().suspended,
      undefined,
      'the branch head is not suspended, so neither are the reports',
    );
    assert.doesNotMatch(repo.git('log', '-3', '--format=%s'), /suspend\(dev\)/);

    assert.equal((await mcp(['reconcile'])).code, 0);
    assert.equal(level(), 'four', 'without the suspension, the branch head wins again');
  });

  test('suspend --reason --push: one commit with the reason, pushed to the HTTP remote; uncommitted edits are refused', async () => {
    const remotes = path.join(base, 'remotes');
    fs.mkdirSync(remotes);
    execFileSync('git', ['init', '-q', '--bare', '-b', 'main', path.join(remotes, 'config.git')]);
    execFileSync('git', ['-C', path.join(remotes, 'config.git'), 'config', 'http.receivepack', 'true']);
    remote = await startGitHttpServer(remotes);
    repo.git('remote', 'add', 'origin', `${remote.url}/config.git`);
    const bare = (...args: string[]) =>
      execFileSync('git', ['-C', path.join(remotes, 'config.git'), ...args], { encoding: 'utf8' }).trim();

    fs.appendFileSync(path.join(repo.dir, 'environments/dev.yaml'), '# a note\n');
    const dirty = await mcp(['suspend', '--env', 'dev', '--push']);
    assert.equal(dirty.code, 1);
    assert.match(dirty.stderr, /environments\/dev\.yaml has uncommitted changes/);
    repo.git('checkout', '--', 'environments/dev.yaml');

    const res = await mcp(['suspend', '--env', 'dev', '--reason', 'incident 42: db migration', '--push']);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /^Pushed\.$/m);
    assert.equal(bare('rev-parse', 'main'), head());
    assert.equal(bare('log', '-1', '--format=%s', 'main'), 'suspend(dev): incident 42: db migration');
    assert.match(bare('show', 'main:environments/dev.yaml'), /suspendReason: "incident 42: db migration"/);
    assert.match(
      (await mcp(['plan'])).stdout,
      /Suspended: environment dev \(sync\.suspend\): incident 42: db migration/,
    );

    const back = await mcp(['resume', '--env', 'dev', '--push']);
    assert.equal(back.code, 0, back.stderr);
    assert.equal(bare('log', '-1', '--format=%s', 'main'), 'resume(dev)');
    assert.equal(bare('show', 'main:environments/dev.yaml'), ENV_YAML.trimEnd());
  });
});
