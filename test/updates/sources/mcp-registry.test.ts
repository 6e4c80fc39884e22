/**
 * The MCP registry version source. The official registry (modelcontextprotocol/registry) needs
 * PostgreSQL, which is not available here, so these tests use a loopback HTTP server made here
 * that serves the documented v0.1 API shape (docs/reference/api/openapi.yaml: `GET
 * /v0.1/servers/{name}/versions` and `GET /v0.1/servers?search=&updated_since=&cursor=` answer a
 * ServerList of `{ server, _meta: { "io.modelcontextprotocol.registry/official": … } }`), and
 * garbage, a 500, a huge reply and a slow one.
 */
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { versionSource } from '../../../src/updates/sources/index.js';
import { createMcpRegistrySource, releasesOf } from '../../../src/updates/sources/mcp-registry.js';
import type { RegistryAccess, SourceContext, VersionQuery } from '../../../src/updates/types.js';

const CANARY = 'CANARY-mcp-registry-token-9a8b';
const NAME = 'io.github.acme/weather';

function entry(version: string, meta: Record<string, unknown>, name = NAME) {
  return {
    server: {
      $schema: 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json',
      name,
      description: 'Weather',
      version,
      packages: [{ registryType: 'npm', identifier: '@acme/weather', version, transport: { type: 'stdio' } }],
    },
    _meta: {
      'io.modelcontextprotocol.registry/official': { isLatest: false, updatedAt: meta.publishedAt, ...meta },
    },
  };
}

const VERSIONS = {
  servers: [
    entry('1.3.0', { status: 'active', publishedAt: '2026-02-01T00:00:00Z', isLatest: true }),
    entry('1.2.0', {
      status: 'deprecated',
      publishedAt: '2026-01-15T12:30:00.123456Z',
      statusMessage: '<b>use 1.3</b>',
    }),
    entry('1.1.0', { status: 'deleted', publishedAt: '2026-01-10T00:00:00Z' }),
    entry('1.0.0', { status: 'active', publishedAt: 'yesterday' }),
    entry('1.0.0-beta.1', { status: 'active' }),
    entry('$(rm -rf ~)', { status: 'active' }),
    entry('<script>', { status: 'active' }),
    entry('9.9.9', { status: 'active' }, 'io.github.evil/other'),
    { server: 'garbage' },
    42,
  ],
  metadata: { count: 10 },
};

let base: string;
let server: http.Server;
const seen: { url?: string; authorization?: string }[] = [];

before(async () => {
  server = http.createServer((req, res) => {
    seen.push({ url: req.url, authorization: req.headers.authorization });
    const url = new URL(req.url ?? '/', 'http://x');
    const send = (status: number, body: string) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body);
    };
    const m = /^\/v0\.1\/servers\/([^/]+)\/versions$/.exec(url.pathname);
    const name = m === null ? undefined : decodeURIComponent(m[1] ?? '');
    if (name === NAME) return send(200, JSON.stringify(VERSIONS));
    if (name === 'io.github.acme/private') {
      return req.headers.authorization === `Bearer ${CANARY}`
        ? send(200, JSON.stringify({ servers: [entry('2.0.0', { status: 'active' }, name)] }))
        : send(401, `{"error":"bad token ${CANARY}"}`);
    }
    if (name === 'io.github.acme/garbage') return send(200, '<html>not json</html>');
    if (name === 'io.github.acme/shape') return send(200, '{"servers":{"a":1}}');
    if (name === 'io.github.acme/broken') return send(500, `{"error":"pq: ${CANARY}"}`);
    if (name === 'io.github.acme/huge') {
      return send(200, JSON.stringify({ servers: [], pad: 'x'.repeat(2 * 1024 * 1024) }));
    }
    if (name === 'io.github.acme/slow') return void setTimeout(() => send(200, '{"servers":[]}'), 3000);
    if (url.pathname === '/v0.1/servers') {
      // updated_since: only what changed after that time; two pages through nextCursor
      assert.equal(url.searchParams.get('search'), NAME);
      assert.equal(url.searchParams.get('updated_since'), '2026-01-20T00:00:00.000Z');
      if (url.searchParams.get('cursor') === null) {
        return send(
          200,
          JSON.stringify({
            servers: [
              entry('1.3.0', { status: 'active', publishedAt: '2026-02-01T00:00:00Z' }),
              entry('0.1.0', {}, `${NAME}-fork`),
            ],
            metadata: { nextCursor: 'page2', count: 2 },
          }),
        );
      }
      assert.equal(url.searchParams.get('cursor'), 'page2');
      return send(
        200,
        JSON.stringify({ servers: [entry('1.2.0', { status: 'deprecated' })], metadata: { count: 1 } }),
      );
    }
    send(404, '{"error":"Server not found"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

const ctx = (access: Partial<RegistryAccess> = {}): SourceContext & { requests: number } => {
  const c = {
    access: { url: base, ...access },
    signal: AbortSignal.timeout(20_000),
    requests: 0,
    countRequest: () => {
      c.requests++;
    },
  };
  return c;
};
const query = (identifier: string, extra: Partial<VersionQuery> = {}): VersionQuery => ({
  kind: 'mcp',
  identifier,
  current: '1.0.0',
  ...extra,
});
const source = createMcpRegistrySource({ timeoutMs: 1000, maxBytes: 1024 * 1024 });

describe('MCP registry versions (loopback server with the documented v0.1 shape)', () => {
  test('the versions endpoint: every well-formed version of this entry; deprecated and deleted are withdrawn', async () => {
    seen.length = 0;
    const mcp = await versionSource('mcp');
    const c = ctx();
    const listing = await mcp.list(query(NAME), c);
    assert.equal(listing.registry, base);
    assert.deepEqual(listing.releases, [
      { version: '1.3.0', publishedAt: '2026-02-01T00:00:00.000Z' },
      { version: '1.2.0', publishedAt: '2026-01-15T12:30:00.123Z', withdrawn: true },
      { version: '1.1.0', publishedAt: '2026-01-10T00:00:00.000Z', withdrawn: true },
      { version: '1.0.0' },
      { version: '1.0.0-beta.1' },
    ]);
    assert.deepEqual(
      seen.map((s) => s.url),
      ['/v0.1/servers/io.github.acme%2Fweather/versions?include_deleted=true'],
    );
    assert.equal(c.requests, 1);
  });

  test('updatedSince asks the list endpoint with updated_since and follows nextCursor', async () => {
    seen.length = 0;
    const listing = await source.list(query(NAME, { updatedSince: '2026-01-20T00:00:00Z' }), ctx());
    assert.deepEqual(listing.releases, [
      { version: '1.3.0', publishedAt: '2026-02-01T00:00:00.000Z' },
      { version: '1.2.0', withdrawn: true },
    ]);
    assert.equal(seen.length, 2);
  });

  test('a token is sent as Bearer; a refused one is unauthorized and never told', async () => {
    const listing = await source.list(query('io.github.acme/private'), ctx({ token: CANARY }));
    assert.deepEqual(listing.releases, [{ version: '2.0.0' }]);
    assert.equal(seen.at(-1)?.authorization, `Bearer ${CANARY}`);
    await assert.rejects(
      source.list(query('io.github.acme/private'), ctx({ token: 'wrong' })),
      (err: Error & { code?: string }) => {
        assert.equal(err.code, 'unauthorized');
        assert.ok(!err.message.includes(CANARY) && !err.message.includes('wrong'), err.message);
        return true;
      },
    );
  });

  const fails = async (name: string, code: string, message: RegExp) => {
    await assert.rejects(source.list(query(name), ctx()), (err: Error & { code?: string }) => {
      assert.equal(err.name, 'UpdateSourceError');
      assert.equal(err.code, code, err.message);
      assert.match(err.message, message);
      assert.ok(!err.message.includes(CANARY) && !err.message.includes('<'), err.message);
      return true;
    });
  };

  test('garbage, a wrong shape, a 500, a huge reply, a slow one, an unknown entry and a bad name fail in our words', async () => {
    await fails('io.github.acme/garbage', 'bad-reply', /not JSON$/);
    await fails('io.github.acme/shape', 'bad-reply', /is not a server list$/);
    await fails('io.github.acme/broken', 'unreachable', /failed to answer \(HTTP 500\)$/);
    await fails('io.github.acme/huge', 'too-large', /larger than 1 MiB$/);
    await fails('io.github.acme/slow', 'timeout', /did not answer within 1 s$/);
    await fails('io.github.acme/none', 'not-found', /HTTP 404/);
    await fails('not a name', 'bad-config', /namespace\/name/);
    await assert.rejects(source.list(query(NAME, { updatedSince: 'last tuesday' }), ctx()), {
      code: 'bad-config',
    });
  });

  test('an https registry gives each release a link to its server.json; http gives none', () => {
    const entries = [entry('1.0.0', {})];
    assert.deepEqual(releasesOf(entries, NAME, 'https://registry.modelcontextprotocol.io'), [
      {
        version: '1.0.0',
        url: 'https://registry.modelcontextprotocol.io/v0.1/servers/io.github.acme%2Fweather/versions/1.0.0',
      },
    ]);
  });
});
