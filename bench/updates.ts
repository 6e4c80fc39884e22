/**
 * `mcp-gitops updates` at 200 servers (issue 19, `npm run bench`): a generated config repo
 * (bench/generate-config-repo.ts: 200 npm servers in 3 environments, each pinned to one version)
 * against a real npm registry on loopback (verdaccio 6.0.5, each package seeded with its pinned
 * version, a newer patch and a new major), run through the built CLI (bench/build-cli.ts) as
 * `updates --format json`: the median wall time of 3 runs and the registry requests it made, next
 * to a floor measured in the same run: the same 200 packument GETs made directly with fetch, 8 at
 * once (the finder's default concurrency), and read in full.
 * Run alone: `node --import tsx bench/updates.ts`.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_CONCURRENCY } from '../src/updates/find-updates.js';
import { startVerdaccio } from '../test/helpers/verdaccio.js';
import { buildCli, runBuiltCli } from './build-cli.js';
import { generateConfigRepo } from './generate-config-repo.js';
import { git } from './git.js';

const SERVERS = Number(process.env.BENCH_UPDATES_SERVERS ?? 200);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const DAY = 86_400_000;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const now = () => performance.now();

/** The package and pinned version generate-config-repo.ts writes for server i. */
function pin(i: number): { name: string; current: string; patch: string } {
  const minor = i % 40;
  const patch = i % 9;
  return {
    name: `@example/mcp-server-${i}`,
    current: `1.${minor}.${patch}`,
    patch: `1.${minor}.${patch + 1}`,
  };
}

async function fetchAll(urls: string[], concurrency: number): Promise<number> {
  let next = 0;
  let bytes = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < urls.length) {
        const url = urls[next++] as string;
        const res = await fetch(url, { headers: { accept: 'application/json' } });
        if (!res.ok) throw new Error(`${url}: ${res.status}`);
        bytes += (await res.arrayBuffer()).byteLength;
      }
    }),
  );
  return bytes;
}

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-bench-updates-'));
const registry = await startVerdaccio();
try {
  const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();
  for (let i = 0; i < SERVERS; i++) {
    const p = pin(i);
    await registry.seed(p.name, [
      { version: p.current, publishedAt: ago(60) },
      { version: p.patch, publishedAt: ago(30) },
      { version: '2.0.0', publishedAt: ago(10) },
    ]);
  }
  const repo = path.join(base, 'config');
  fs.mkdirSync(repo);
  generateConfigRepo(repo, SERVERS);
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'bench config');
  const npmrc = path.join(base, 'npmrc');
  fs.writeFileSync(npmrc, `registry=${registry.url}\n`);
  const env = { NPM_CONFIG_USERCONFIG: npmrc, MCP_GITOPS_STATE_DIR: path.join(base, 'state') };
  const cli = buildCli(base);

  const walls: number[] = [];
  let requests = 0;
  let proposed = 0;
  let errors = 0;
  for (let run = 0; run < RUNS; run++) {
    const t = now();
    const res = await runBuiltCli(cli, ['updates', '--repo', repo, '--format', 'json'], env);
    walls.push(now() - t);
    if (res.code !== 0) throw new Error(`updates exited ${res.code}: ${res.stderr.slice(0, 2000)}`);
    const out = JSON.parse(res.stdout) as {
      requests: number;
      servers: { proposed?: unknown; error?: string }[];
    };
    requests = out.requests;
    proposed = out.servers.filter((s) => s.proposed).length;
    errors = out.servers.filter((s) => s.error !== undefined).length;
  }
  if (proposed !== SERVERS || errors !== 0)
    throw new Error(`expected ${SERVERS} proposals and no errors, got ${proposed} and ${errors}`);

  const urls = Array.from({ length: SERVERS }, (_, i) => `${registry.url}${pin(i).name.replace('/', '%2f')}`);
  const floors: number[] = [];
  let bytes = 0;
  for (let run = 0; run < RUNS; run++) {
    const t = now();
    bytes = await fetchAll(urls, DEFAULT_CONCURRENCY);
    floors.push(now() - t);
  }

  const rows: [string, string, string][] = [
    [
      `updates --format json, ${SERVERS} servers (built CLI)`,
      `${(median(walls) / 1000).toFixed(2)} s`,
      `median of ${RUNS}; ${requests} registry requests; ${proposed} proposed`,
    ],
    [
      `floor: ${SERVERS} packument GETs, ${DEFAULT_CONCURRENCY} at once (fetch)`,
      `${(median(floors) / 1000).toFixed(2)} s`,
      `median of ${RUNS}; ${(bytes / 1024).toFixed(0)} KiB read`,
    ],
  ];
  const width = Math.max(...rows.map((r) => r[0].length));
  process.stdout.write(`update automation, ${SERVERS} npm servers, real verdaccio on loopback\n`);
  for (const [what, time, note] of rows)
    process.stdout.write(`${what.padEnd(width)}  ${time.padStart(8)}  ${note}\n`);
  process.stdout.write(
    `over the floor: ${((median(walls) - median(floors)) / 1000).toFixed(2)} s (process start, config load and validation, policy); requests per server: ${(requests / SERVERS).toFixed(2)}\n`,
  );
} finally {
  await registry.stop();
  fs.rmSync(base, { recursive: true, force: true });
}
