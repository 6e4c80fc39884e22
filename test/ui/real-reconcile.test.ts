/**
 * The UI over what a real reconcile committed: the real CLI on a real git repo, a client-config
 * target running server-memory over stdio, its tools locked with `tools lock`. The server page
 * shows the spec as applied (resolved from the applied revision, hash matching the report), every
 * tool matching the lock with the lock's description and schema; the history lists the runs and a
 * run page shows the field diff of the change it applied.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { liveLinks } from '../../src/ui/links.js';
import { UiSite } from '../../src/ui/site.js';
import { cliRunner } from '../helpers/cli.js';
import { serverBin } from '../helpers/mcp-servers.js';
import { createTempRepo } from '../helpers/temp-repo.js';

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-ui-real-'));
const home = path.join(base, 'home');
fs.mkdirSync(home);
const cli = cliRunner({ MCP_GITOPS_HOME: home });
const repo = createTempRepo('mcp-gitops-ui-real-repo-');
const mcp = (args: string[]) => cli.run(['--repo', repo.dir, ...args]);

function serverYaml(level: string): string {
  return `apiVersion: mcp-gitops/v1\nkind: Server\nmetadata:\n  name: memory\nspec:\n  command:\n    path: ${process.execPath}\n    args: ["${serverBin('memory')}"]\n  transport: stdio\n  env:\n    MEMORY_FILE_PATH: "${path.join(base, 'memory.jsonl')}"\n    LEVEL: "${level}"\n  health:\n    expectTools: [read_graph]\n    timeoutMs: 15000\n`;
}

before(async () => {
  repo.write(
    'mcp-gitops.yaml',
    'apiVersion: mcp-gitops/v1\nkind: Repository\nmetadata:\n  name: ui\nspec:\n  branch: main\n',
  );
  repo.write('servers/memory.yaml', serverYaml('one'));
  repo.write(
    'environments/dev.yaml',
    `apiVersion: mcp-gitops/v1\nkind: Environment\nmetadata: { name: dev }\nspec:\n  targets:\n    - name: laptop\n      provider: client-config\n      clients: [claude-code]\n      home: ${home}\n  servers:\n    - name: memory\n`,
  );
  repo.commitAll('config');
  for (const args of [['reconcile'], ['tools', 'lock', '--env', 'dev', '--commit']]) {
    const res = await mcp(args);
    assert.equal(res.code, 0, `${args.join(' ')}: ${res.stderr}`);
  }
  repo.write('servers/memory.yaml', serverYaml('two'));
  repo.commitAll('memory: LEVEL two');
  const res = await mcp(['reconcile']);
  assert.equal(res.code, 0, res.stderr);
});
after(() => {
  repo.cleanup();
  fs.rmSync(base, { recursive: true, force: true });
});

const site = () =>
  new UiSite({
    checkout: () => repo.dir,
    reportsDir: () => 'reports',
    remote: 'https://gitlab.com/acme/config.git',
  });

test('server page: spec as applied, and every tool as locked with its description and schema', async () => {
  const page = await site().render('/env/dev/server/memory', liveLinks);
  assert.equal(page.status, 200);
  assert.match(page.html, /Spec as applied[\s\S]*matches<\/span> its hash is the report's/);
  assert.match(page.html, /&#34;LEVEL&#34;: &#34;two&#34;/);
  assert.match(page.html, /data-testid="lock-state"><span class="badge b-matches"/);
  assert.match(
    page.html,
    /data-testid="tool-read_graph"[\s\S]*?matches[\s\S]*?<pre><code>[^<]*knowledge graph/i,
  );
  assert.match(page.html, /<summary>Input schema<\/summary>/);
  // Healthy at both report commits: one reading, since the first (with its GitLab link).
  const first = repo.git('log', '--reverse', '--format=%H', '--grep', '^reconcile(dev)').split('\n')[0] ?? '';
  const recorded = page.html.slice(page.html.indexOf('Health as the report commits recorded it'));
  assert.equal(recorded.slice(0, recorded.indexOf('</table>')).match(/<tr><td><time/g)?.length, 1);
  assert.match(
    recorded,
    new RegExp(
      `healthy</span></td><td></td><td></td><td><a href="https://gitlab.com/acme/config/-/commit/${first}"`,
    ),
  );
  assert.match(
    page.html,
    /data-testid="health-dev-laptop-memory"><span aria-hidden="true">[^<]*<\/span> healthy</,
  );
});

test('history lists the runs with GitLab links; a run page shows the field it changed', async () => {
  const s = site();
  const history = await s.render('/history', liveLinks);
  assert.match(history.html, /reconcile\(dev\): 1 changed/);
  assert.match(history.html, /https:\/\/gitlab\.com\/acme\/config\/-\/commit\/[0-9a-f]{40}/);
  assert.match(history.html, /dev\/v1\.0\.0/);
  const head = repo.git('rev-parse', 'HEAD');
  const run = await s.render(`/history/${head}`, liveLinks);
  assert.equal(run.status, 200);
  assert.match(run.html, /data-testid="run-target-dev-laptop"/);
  assert.match(
    run.html,
    /<code>env\.LEVEL<\/code><\/th><td class="diff-before"><code>&#34;one&#34;<\/code><\/td><td class="diff-after"><code>&#34;two&#34;<\/code>/,
  );
  const overview = await s.render('/', liveLinks);
  assert.match(overview.html, /data-testid="sync-dev"><span aria-hidden="true">[^<]*<\/span> in sync/);
});
