/**
 * The PyPI version source. No real PyPI (warehouse) can run here, so these tests use a loopback
 * HTTP server made here that serves the documented JSON API shape
 * (https://docs.pypi.org/api/json/: `GET /pypi/<project>/json` → `releases`, each a list of files
 * with `upload_time_iso_8601` and `yanked`), and garbage, huge and slow replies.
 */
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { UpdateSourceError } from '../../../src/updates/sources/errors.js';
import { versionSource } from '../../../src/updates/sources/index.js';
import { createPypiSource, normalizePypiName, pypiReleasesOf } from '../../../src/updates/sources/pypi.js';
import type { RegistryAccess, VersionSource } from '../../../src/updates/types.js';

const CANARY = 'CANARY-pypi-token-5e6f';

function file(uploaded: string, yanked = false) {
  return {
    filename: 'x.whl',
    packagetype: 'bdist_wheel',
    upload_time: uploaded.slice(0, 19),
    upload_time_iso_8601: uploaded,
    yanked,
    yanked_reason: yanked ? 'broken' : null,
  };
}

const PROJECT = {
  info: { name: 'Demo_MCP.Server', version: '1.2.0' },
  releases: {
    '1.0.0': [file('2023-01-01T10:00:00.000000Z'), file('2023-01-01T09:00:00.123456Z')],
    '1.1.0': [file('2023-06-01T00:00:00.000000Z', true), file('2023-06-01T00:01:00.000000Z', true)],
    '1.1.1': [file('2023-06-02T00:00:00.000000Z', true), file('2023-06-02T00:00:00.000000Z')],
    '1.2.0rc1': [file('2024-01-01T00:00:00.000000Z')],
    '1.2.0': [file('2024-02-01T00:00:00.000000Z')],
    '0.9': [],
  },
  urls: [],
};

let base: string;
const seen: { path?: string; authorization?: string }[] = [];
let server: http.Server;

before(async () => {
  server = http.createServer((req, res) => {
    seen.push({ path: req.url, authorization: req.headers.authorization });
    const send = (status: number, body: string) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body);
    };
    switch (req.url) {
      case '/pypi/demo-mcp-server/json':
        return send(200, JSON.stringify(PROJECT));
      case '/pypi/private-pkg/json':
        return req.headers.authorization === 'Bearer right-token'
          ? send(200, JSON.stringify({ releases: { '3.0.0': [file('2025-01-01T00:00:00Z')] } }))
          : send(403, `{"message":"forbidden ${CANARY}"}`);
      case '/pypi/garbage/json':
        return send(200, `<html>${CANARY}</html>`);
      case '/pypi/wrong-shape/json':
        return send(200, JSON.stringify({ releases: ['1.0.0'] }));
      case '/pypi/all-odd/json':
        return send(200, JSON.stringify({ releases: { latest: [], 'not a version': [], '1.0.0<b>': [] } }));
      case '/pypi/huge/json': {
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(64 * 1024, ' ');
        let sent = 0;
        const pump = () => {
          while (sent < 8 * 1024 * 1024 && res.write(chunk)) sent += chunk.length;
          if (sent < 8 * 1024 * 1024) res.once('drain', pump);
          else res.end('{}');
        };
        return pump();
      }
      case '/pypi/slow/json':
        setTimeout(() => send(200, JSON.stringify(PROJECT)), 3_000).unref();
        return;
      default:
        return send(404, '{"message":"Not Found"}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function list(source: VersionSource, identifier: string, access: RegistryAccess = { url: base }) {
  let requests = 0;
  const listing = await source.list(
    { kind: 'pypi', identifier, current: '1.0.0' },
    { access, signal: AbortSignal.timeout(20_000), countRequest: () => requests++ },
  );
  return { listing, requests };
}

async function listError(source: VersionSource, identifier: string, access?: RegistryAccess) {
  try {
    await list(source, identifier, access);
  } catch (error) {
    assert.ok(error instanceof UpdateSourceError, String(error));
    assert.ok(!error.message.includes(CANARY), error.message);
    return error;
  }
  assert.fail(`${identifier} should have failed`);
}

describe('PyPI version source (loopback server with the JSON API shape)', () => {
  test('lists releases with their earliest upload time; all files yanked means withdrawn', async () => {
    const source = await versionSource('pypi');
    const { listing, requests } = await list(source, 'Demo_MCP.Server');
    assert.equal(seen.at(-1)?.path, '/pypi/demo-mcp-server/json');
    assert.equal(requests, 1);
    assert.equal(listing.registry, base);
    assert.deepEqual(listing.releases, [
      { version: '1.0.0', publishedAt: '2023-01-01T09:00:00.123Z' },
      { version: '1.1.0', publishedAt: '2023-06-01T00:00:00.000Z', withdrawn: true },
      { version: '1.1.1', publishedAt: '2023-06-02T00:00:00.000Z' },
      { version: '1.2.0rc1', publishedAt: '2024-01-01T00:00:00.000Z' },
      { version: '1.2.0', publishedAt: '2024-02-01T00:00:00.000Z' },
      { version: '0.9' },
    ]);
  });

  test('credentials: the token is sent to the configured index, refused without it', async () => {
    const source = await versionSource('pypi');
    const refused = await listError(source, 'private-pkg', { url: base, token: CANARY });
    assert.equal(refused.code, 'unauthorized');
    const { listing } = await list(source, 'private-pkg', { url: base, token: 'right-token' });
    assert.deepEqual(
      listing.releases.map((r) => r.version),
      ['3.0.0'],
    );
  });

  test('unknown project → not-found; invalid name → refused before asking', async () => {
    const source = await versionSource('pypi');
    assert.equal((await listError(source, 'no-such-project')).code, 'not-found');
    const before = seen.length;
    assert.equal((await listError(source, '../admin')).code, 'bad-config');
    assert.equal(seen.length, before);
  });

  test('garbage, the wrong shape and only unusable versions are bad replies, not echoed', async () => {
    const source = await versionSource('pypi');
    for (const name of ['garbage', 'wrong-shape', 'all-odd']) {
      assert.equal((await listError(source, name)).code, 'bad-reply', name);
    }
  });

  test('a huge reply stops at the cap', async () => {
    const error = await listError(createPypiSource({ maxBytes: 1024 * 1024 }), 'huge');
    assert.equal(error.code, 'too-large');
  });

  test('a slow reply times out', async () => {
    const error = await listError(createPypiSource({ timeoutMs: 300 }), 'slow');
    assert.equal(error.code, 'timeout');
    assert.equal(error.message, `${base} did not answer within 300 ms`);
  });

  test('PEP 503 names and PEP 440 versions', () => {
    assert.equal(normalizePypiName('Foo__Bar...baz-QUX'), 'foo-bar-baz-qux');
    const releases = pypiReleasesOf(
      { releases: { '2.0.0.post1': [], '1!2.0': [], '2.0.dev3': [], '2.0+local': [], v3: [], '3 4': [] } },
      'p',
      true,
    );
    assert.deepEqual(
      releases?.map((r) => r.version),
      ['2.0.0.post1', '1!2.0', '2.0.dev3', 'v3'],
    );
    assert.equal(releases?.[0]?.url, 'https://pypi.org/project/p/2.0.0.post1/');
  });
});
