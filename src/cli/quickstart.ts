/**
 * `npm run quickstart`: the README's first command. Copies the bundled quickstart config into a
 * fresh git repository of its own under the temp dir (never this product repo), points
 * MCP_GITOPS_HOME at a fresh home (never the user's real client configs), runs `mcp-gitops
 * reconcile` there as a new user would — which starts the real servers and verifies them by
 * speaking MCP — and prints where the reports and the tag are. Then it stops the servers it
 * started, unless `--keep` (it prints the command that stops them later: `--stop DIR`).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stopServers } from '../engine/stop-servers.js';
import { git } from '../git/iso-git.js';
import { binScript, productPath } from '../init/product-paths.js';

const AUTHOR = { name: 'mcp-gitops quickstart', email: 'quickstart@mcp-gitops.invalid' };

interface QuickstartArgs {
  keep: boolean;
  stop?: string;
}

function parseArgs(argv: string[]): QuickstartArgs {
  const stopAt = argv.indexOf('--stop');
  return { keep: argv.includes('--keep'), ...(stopAt >= 0 ? { stop: argv[stopAt + 1] } : {}) };
}

async function createDemoRepo(base: string): Promise<{ repo: string; home: string }> {
  const repo = path.join(base, 'config-repo');
  const home = path.join(base, 'home');
  fs.mkdirSync(home, { recursive: true });
  fs.cpSync(productPath('examples', 'quickstart'), repo, { recursive: true });
  await git.init({ fs, dir: repo, defaultBranch: 'main' });
  for (const file of await listFiles(repo)) await git.add({ fs, dir: repo, filepath: file });
  await git.commit({
    fs,
    dir: repo,
    message: 'Quickstart config: servers everything + memory, environment dev',
    author: AUTHOR,
  });
  return { repo, home };
}

async function listFiles(dir: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const p = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.name === '.git') continue;
    if (entry.isDirectory()) out.push(...(await listFiles(dir, p)));
    else out.push(p);
  }
  return out;
}

async function stop(base: string): Promise<void> {
  process.env.MCP_GITOPS_HOME = path.join(base, 'home');
  const results = await stopServers({ repoDir: path.join(base, 'config-repo'), providers: ['process'] });
  for (const r of results)
    console.log(`  ${r.server}: ${r.outcome === 'applied' ? 'stopped' : `${r.outcome} ${r.message ?? ''}`}`);
  if (results.length === 0) console.log('  nothing was running');
}

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (args.stop) {
    console.log(`Stopping the quickstart servers of ${args.stop}`);
    await stop(path.resolve(args.stop));
    return 0;
  }
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-quickstart-'));
  const { repo, home } = await createDemoRepo(base);
  console.log(`Quickstart config repo: ${repo} (a fresh git repo, copied from examples/quickstart)`);
  console.log(`MCP_GITOPS_HOME:        ${home} (client configs and services live here, not in your home)\n`);
  console.log(`$ mcp-gitops reconcile --repo ${repo}`);
  const run = spawnSync(process.execPath, [binScript(), 'reconcile', '--repo', repo], {
    stdio: 'inherit',
    env: { ...process.env, MCP_GITOPS_HOME: home },
  });
  const code = run.status ?? 1;
  const tags = await git.listTags({ fs, dir: repo });
  console.log(`
Where to look:
  reports:       ${path.join(repo, 'reports', 'dev', 'README.md')}  (and reports/dev/*.json)
  tag:           ${tags.join(', ') || '(none: the reconcile did not succeed)'}
  history:       git -C ${repo} log --stat
  tag message:   git -C ${repo} tag -n9
  status:        node ${binScript()} status --repo ${repo}
  read report:   cat ${path.join(repo, 'reports', 'dev', 'README.md')}
  client config: cat ${path.join(home, 'src', 'app', '.mcp.json')}`);
  if (args.keep) {
    console.log(`\nThe servers keep running. Stop them with:\n  npm run quickstart -- --stop ${base}`);
  } else {
    console.log(
      '\nStopping the servers the quickstart started (run with `-- --keep` to leave them running):',
    );
    await stop(base);
  }
  return code;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`quickstart failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
