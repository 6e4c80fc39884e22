/**
 * A pull request's plan across the trust boundary (issue 10), on a 1,000-server repo served by a
 * real `git http-backend`: wall time of `planPullRequest` (bounded fetch of the head → observe the
 * base's targets → validate, resolve, plan and render in the sandboxed child), with the child's
 * own time and peak resident memory. The floor, measured in turns with it: `mcp-gitops plan` of
 * the same repository as one ordinary process (no fetch, no sandbox), and its peak memory. It also
 * reports how long serve's own event loop was blocked while a plan ran (what a `/healthz` request
 * would wait), for the first plan against a base (which loads the base's config) and the others.
 * Both run the built CLI (dist/, built first), as an installed copy does.
 * Run alone: `BENCH_RUNS=5 node --import tsx bench/pr-plan.ts`.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { binScript } from '../src/init/product-paths.js';
import { createLogger } from '../src/log/logger.js';
import { DEFAULT_PR_LIMITS, planPullRequest } from '../src/pr-plan/plan-pull-request.js';
import { runBounded } from '../src/pr-plan/run-bounded.js';
import { RemoteConfigRepo } from '../src/remote/remote-config-repo.js';
import type { PullRequestPayload } from '../src/serve/github-events.js';
import { startGitHttpServer } from '../test/helpers/git-http-server.js';
import { generateConfigRepo } from './generate-config-repo.js';

const SERVERS = Number(process.env.BENCH_PR_SERVERS ?? 1000);
execFileSync(process.execPath, [path.join(path.dirname(binScript()), '..', 'scripts', 'build.mjs')], {
  stdio: 'inherit',
});
process.env.MCP_GITOPS_USE_DIST = '1';
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-bench-pr-'));
const work = path.join(base, 'work');
const home = path.join(base, 'home');
const bare = path.join(base, 'remotes', 'config.git');
fs.mkdirSync(home);
fs.mkdirSync(path.dirname(bare));
generateConfigRepo(work, SERVERS);
// Every target local (a client-config laptop under a temp home, a process target under a temp
// base dir), so observing costs what it costs here and nothing reaches the network.
for (const file of fs.readdirSync(path.join(work, 'environments'))) {
  const f = path.join(work, 'environments', file);
  const env = file.replace(/\.yaml$/, '');
  fs.writeFileSync(
    f,
    fs
      .readFileSync(f, 'utf8')
      .replace('      host: local\n', `      host: local\n      home: ${home}\n`)
      .replace(/host: ssh:\/\/\S+/, 'host: local')
      .replace('baseDir: ~/.mcp-gitops', `baseDir: ${path.join(base, 'process', env)}`),
  );
}
const gitEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: 'b',
  GIT_AUTHOR_EMAIL: 'b@x',
  GIT_COMMITTER_NAME: 'b',
  GIT_COMMITTER_EMAIL: 'b@x',
};
const git = (...args: string[]) =>
  execFileSync('git', ['-C', work, ...args], { env: gitEnv, encoding: 'utf8' }).trim();
execFileSync('git', ['init', '-q', '--bare', '-b', 'main', bare]);
git('init', '-q', '-b', 'main');
git('add', '-A');
git('commit', '-q', '-m', 'config');
git('push', '-q', bare, 'main');
const one = path.join(work, 'servers', 'server-00001.yaml');
fs.writeFileSync(one, fs.readFileSync(one, 'utf8').replace('LOG_LEVEL: info', 'LOG_LEVEL: debug'));
git('commit', '-q', '-am', 'debug one server');
git('push', '-q', bare, 'HEAD:refs/pull/1/head');
const head = git('rev-parse', 'HEAD');

const server = await startGitHttpServer(path.dirname(bare));
const url = `${server.url}/config.git`;
const logger = createLogger({ level: 'silent' });
const cache = new RemoteConfigRepo({ url, branch: 'main', stateDir: path.join(base, 'state'), logger });
await cache.sync();

const pr = {
  action: 'opened',
  number: 1,
  repository: { full_name: 'acme/config' },
  pull_request: {
    head: { sha: head, ref: 'x', repo: { full_name: 'acme/config' } },
    base: { ref: 'main', repo: { full_name: 'acme/config' } },
    author_association: 'MEMBER',
  },
} as PullRequestPayload;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mib = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MiB`;
const loopMax: number[] = [];
const rows = {
  wall: [] as number[],
  fetch: [] as number[],
  base: [] as number[],
  child: [] as number[],
  childRss: [] as number[],
};
const floor = { wall: [] as number[], rss: [] as number[] };

try {
  for (let i = 0; i < RUNS; i++) {
    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    const started = performance.now();
    const outcome = await planPullRequest({
      pr,
      url,
      baseDir: cache.dir,
      stateDir: path.join(base, 'state'),
      trust: { untrusted: 'validate' },
      limits: DEFAULT_PR_LIMITS,
      logger,
      deps: { logger },
    });
    rows.wall.push(performance.now() - started);
    loop.disable();
    loopMax.push(loop.max / 1e6);
    if (outcome.status !== 'planned') throw new Error(`the PR was ${outcome.status}: ${outcome.markdown}`);
    rows.fetch.push(outcome.timings?.fetchMs ?? 0);
    rows.base.push(outcome.timings?.baseMs ?? 0);
    rows.child.push(outcome.sandbox?.ms ?? 0);
    rows.childRss.push(outcome.sandbox?.peakRssBytes ?? 0);

    const plan = await runBounded(process.execPath, [binScript(), 'plan', '--repo', work], {
      env: { ...process.env, MCP_GITOPS_HOME: home },
      cwd: work,
      limits: { timeoutMs: 300_000, maxRssBytes: 8 * 1024 ** 3, maxStdoutBytes: 64 * 1024 * 1024 },
    });
    if (plan.end.kind !== 'exited' || plan.end.code !== 0)
      throw new Error(`floor plan failed: ${plan.stderr}`);
    floor.wall.push(plan.ms);
    floor.rss.push(plan.peakRssBytes);
  }
  const s = (xs: number[]) => `${(median(xs) / 1000).toFixed(2)} s`;
  process.stdout.write(
    [
      `pull request plan, ${SERVERS} servers x 3 environments (median of ${RUNS}, in turns with the floor)`,
      `  planPullRequest wall        ${s(rows.wall)}  (fetch ${s(rows.fetch)}, observe base ${s(rows.base)}, sandboxed child ${s(rows.child)})`,
      `  sandboxed child peak RSS    ${mib(median(rows.childRss))} (cap ${mib(DEFAULT_PR_LIMITS.maxRssBytes)})`,
      `  serve's event loop blocked  at most ${loopMax[0]!.toFixed(0)} ms in the first plan (loads the base), ${Math.max(...loopMax.slice(1)).toFixed(0)} ms in the others`,
      `  floor: mcp-gitops plan      ${s(floor.wall)}, peak RSS ${mib(median(floor.rss))}`,
      `  ratio                       ${(median(rows.wall) / median(floor.wall)).toFixed(2)}x`,
      '',
    ].join('\n'),
  );
} finally {
  await server.close();
  fs.rmSync(base, { recursive: true, force: true });
}
