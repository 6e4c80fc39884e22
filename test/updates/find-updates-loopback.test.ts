/**
 * findUpdates over sources we cannot run here: a loopback HTTP server serving the DOCUMENTED JSON
 * of PyPI's JSON API (`/pypi/{name}/json`) and of the official MCP registry's versions API
 * (`/v0.1/servers/{name}/versions`). This is not a fake of our code: it stands in for those two
 * registries only, as TEST-INFRA allows. What it shows: each package is asked once however many
 * servers pin it, no more than `concurrency` queries run at once, a garbage reply fails only its
 * server, and a `registryEntry` takes the versions from the MCP registry instead.
 */
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { findUpdates } from '../../src/updates/find-updates.js';
import { createTempRepo, type TempRepo } from '../helpers/temp-repo.js';

const PACKAGES = Array.from({ length: 10 }, (_, i) => `pkg-${i}`);
let server: http.Server;
let base: string;
let inFlight = 0;
let maxInFlight = 0;
const hits = new Map<string, number>();
const repos: TempRepo[] = [];

function pypiJson(name: string): unknown {
  const file = (t: string) => [{ upload_time_iso_8601: t, yanked: false }];
  return {
    info: { name, version: '1.1' },
    releases: {
      '1.0': file('2026-01-01T00:00:00.000Z'),
      '1.1': file('2026-02-01T00:00:00.000Z'),
      '2.0': file('2026-03-01T00:00:00.000Z'),
    },
  };
}

const MCP_NAME = 'io.github.acme/thing';
function mcpVersions(): unknown {
  const entry = (version: string, status = 'active') => ({
    server: { name: MCP_NAME, version, description: 'thing' },
    _meta: {
      'io.modelcontextprotocol.registry/official': {
        status,
        publishedAt: '2026-01-01T00:00:00Z',
        isLatest: false,
      },
    },
  });
  return { servers: [entry('1.0.0'), entry('1.0.5'), entry('1.1.0', 'deprecated')], metadata: { count: 3 } };
}

before(async () => {
  server = http.createServer((req, res) => {
    const url = req.url ?? '';
    hits.set(url, (hits.get(url) ?? 0) + 1);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    setTimeout(() => {
      inFlight--;
      const pypi = /^\/pypi\/([^/]+)\/json$/.exec(url);
      let body: unknown;
      if (pypi?.[1] === 'garbage') {
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end('{"releases": "<script>alert(1)</script>"');
        return;
      }
      if (pypi) body = pypiJson(pypi[1] as string);
      else if (url.startsWith(`/v0.1/servers/${encodeURIComponent(MCP_NAME)}/versions`)) body = mcpVersions();
      if (body === undefined) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    }, 40);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  await new Promise((resolve) => server.close(resolve));
  for (const repo of repos) repo.cleanup();
});

function serverYaml(name: string, type: string, identifier: string, version: string, updates = ''): string {
  return `apiVersion: mcp-gitops/v1
kind: Server
metadata: { name: ${name} }
spec:
  package: { registryType: ${type}, identifier: "${identifier}", version: "${version}" }
  transport: stdio
${updates}`;
}

function configRepo(servers: Record<string, string>): TempRepo {
  const repo = createTempRepo('mcp-gitops-find-updates-loopback-');
  repos.push(repo);
  repo.write(
    'mcp-gitops.yaml',
    `apiVersion: mcp-gitops/v1
kind: Repository
metadata: { name: loopback }
spec:
  branch: main
  updates:
    registries:
      pypi: { url: "${base}" }
      mcp: { url: "${base}" }
`,
  );
  for (const [name, yaml] of Object.entries(servers)) repo.write(`servers/${name}.yaml`, yaml);
  repo.write(
    'environments/dev.yaml',
    `apiVersion: mcp-gitops/v1
kind: Environment
metadata: { name: dev }
spec:
  targets:
    - { name: laptop, provider: client-config, host: local, clients: [claude-code] }
  servers:
${Object.keys(servers)
  .map((n) => `    - name: ${n}\n`)
  .join('')}`,
  );
  repo.commitAll('config');
  return repo;
}

describe('findUpdates with PyPI and MCP registry replies on loopback', () => {
  test('each package asked once, at most `concurrency` at a time; garbage fails only its server', async () => {
    const servers: Record<string, string> = {};
    for (const pkg of PACKAGES) {
      servers[`${pkg}-a`] = serverYaml(`${pkg}-a`, 'pypi', pkg, '1.0');
      servers[`${pkg}-b`] = serverYaml(`${pkg}-b`, 'pypi', pkg, '1.0');
    }
    servers.broken = serverYaml('broken', 'pypi', 'garbage', '1.0');
    hits.clear();
    maxInFlight = 0;
    const report = await findUpdates({ dir: configRepo(servers).dir, env: {}, concurrency: 3 });
    assert.equal(report.servers.length, 21);
    for (const pkg of PACKAGES) assert.equal(hits.get(`/pypi/${pkg}/json`), 1, pkg);
    assert.equal(report.requests, 11);
    assert.ok(maxInFlight <= 3, `in flight at most 3, saw ${maxInFlight}`);
    assert.ok(maxInFlight >= 2, `queries overlap, saw ${maxInFlight}`);
    for (const s of report.servers.filter((s) => s.server !== 'broken')) {
      assert.equal(s.error, undefined, s.server);
      assert.equal(s.proposed?.pin, '1.1', s.server);
      assert.deepEqual(
        s.held.map((h) => `${h.version} ${h.reason}`),
        ['2.0 not-allowed'],
      );
    }
    const broken = report.servers.find((s) => s.server === 'broken');
    assert.ok(broken?.error);
    assert.equal(broken.error.includes('<script>'), false);
  });

  test('a registryEntry asks the MCP registry; a deprecated version is held as withdrawn', async () => {
    hits.clear();
    const report = await findUpdates({
      dir: configRepo({
        thing: serverYaml(
          'thing',
          'npm',
          '@acme/thing',
          '1.0.0',
          `  updates: { registryEntry: ${MCP_NAME} }\n`,
        ),
      }).dir,
      env: {},
    });
    const thing = report.servers[0];
    assert.equal(thing?.kind, 'mcp');
    assert.equal(thing?.identifier, MCP_NAME);
    assert.equal(thing?.error, undefined);
    assert.equal(thing?.proposed?.version, '1.0.5');
    assert.deepEqual(thing?.held, [
      { version: '1.1.0', reason: 'withdrawn', detail: 'deprecated or yanked by its publisher' },
    ]);
    assert.ok([...hits.keys()].some((k) => k.startsWith('/v0.1/servers/')));
  });
});
