/**
 * The bounded HTTP client against loopback HTTP servers made here for each case: slow replies
 * time out, huge replies stop at the cap (declared or streamed), redirects are followed a bounded
 * number of times and credentials never follow one to another origin. Errors name the origin only.
 */
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, test } from 'node:test';
import { UpdateSourceError } from '../../../src/updates/sources/errors.js';
import { fetchJson, nextLocation, request } from '../../../src/updates/sources/http.js';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;
const servers: http.Server[] = [];

async function serve(handler: Handler): Promise<string> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

after(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

function options(extra: Partial<Parameters<typeof request>[1]> = {}) {
  let count = 0;
  const base = { signal: AbortSignal.timeout(20_000), countRequest: () => count++, ...extra };
  return { base, requests: () => count };
}

async function failure(promise: Promise<unknown>): Promise<UpdateSourceError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof UpdateSourceError, `expected UpdateSourceError, got ${String(error)}`);
    assert.ok(error.message.length <= 200);
    return error;
  }
  assert.fail('the request should have failed');
}

const CANARY = 'CANARY-http-secret-1b2c3d';

describe('bounded HTTP client', () => {
  test('a reply slower than the timeout fails as timeout, naming the origin', async () => {
    const url = await serve((_req, res) => {
      setTimeout(() => res.end('{}'), 3_000).unref();
    });
    const { base } = options({ timeoutMs: 300 });
    const started = Date.now();
    const error = await failure(request(`${url}/slow`, base));
    assert.equal(error.code, 'timeout');
    assert.ok(Date.now() - started < 2_500);
    assert.equal(error.message, `${url} did not answer within 300 ms`);
  });

  test('a body that trickles past the timeout fails as timeout too', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"a":');
      setTimeout(() => res.end('1}'), 3_000).unref();
    });
    const error = await failure(request(`${url}/trickle`, options({ timeoutMs: 400 }).base));
    assert.equal(error.code, 'timeout');
  });

  test('a reply declared larger than the cap is refused before reading', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': String(10 * 1024 * 1024) });
      res.write(Buffer.alloc(1024));
    });
    const error = await failure(request(url, options({ maxBytes: 64 * 1024 }).base));
    assert.equal(error.code, 'too-large');
    assert.equal(error.message, `${url} sent a reply larger than 64 KiB`);
  });

  test('a streamed reply (no length) is cut off at the cap', async () => {
    let written = 0;
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(16 * 1024, 'a');
      const pump = () => {
        while (written < 50 * 1024 * 1024 && res.write(chunk)) written += chunk.length;
        if (written < 50 * 1024 * 1024) res.once('drain', pump);
        else res.end();
      };
      pump();
    });
    const error = await failure(request(url, options({ maxBytes: 256 * 1024 }).base));
    assert.equal(error.code, 'too-large');
    assert.ok(written < 50 * 1024 * 1024, 'the client stopped reading long before the end');
  });

  test('credentials go to their own origin and are dropped when a redirect leads elsewhere', async () => {
    const seen: Record<string, string | undefined> = {};
    const other = await serve((req, res) => {
      seen.other = req.headers.authorization;
      res.end('{"ok":true}');
    });
    const first = await serve((req, res) => {
      if (req.url === '/start') {
        seen.first = req.headers.authorization;
        res.writeHead(302, { location: '/same-origin' });
        res.end();
      } else {
        seen.same = req.headers.authorization;
        res.writeHead(307, { location: `${other}/elsewhere` });
        res.end();
      }
    });
    const { base, requests } = options({
      access: { url: first, token: CANARY },
      headers: { Authorization: `Bearer ${CANARY}` },
    });
    assert.deepEqual(await fetchJson(`${first}/start`, base), { ok: true });
    assert.equal(seen.first, `Bearer ${CANARY}`);
    assert.equal(seen.same, `Bearer ${CANARY}`);
    assert.equal(seen.other, undefined);
    assert.equal(requests(), 3);
  });

  test("a caller's own Authorization header (no access) stays on the first origin too", async () => {
    const seen: Record<string, string | undefined> = {};
    const other = await serve((req, res) => {
      seen.other = req.headers.authorization;
      res.end('{}');
    });
    const first = await serve((req, res) => {
      seen.first = req.headers.authorization;
      res.writeHead(302, { location: `${other}/blob` });
      res.end();
    });
    await fetchJson(first, options({ headers: { authorization: `Bearer ${CANARY}` } }).base);
    assert.equal(seen.first, `Bearer ${CANARY}`);
    assert.equal(seen.other, undefined);
  });

  test('basic auth from a username and password', async () => {
    let header: string | undefined;
    const url = await serve((req, res) => {
      header = req.headers.authorization;
      res.end('[]');
    });
    await fetchJson(url, options({ access: { url, username: 'u', password: CANARY } }).base);
    assert.equal(header, `Basic ${Buffer.from(`u:${CANARY}`).toString('base64')}`);
  });

  test('more than 3 redirects is a bad reply', async () => {
    const url = await serve((req, res) => {
      res.writeHead(302, { location: `/hop${Number(req.url?.slice(4) || 0) + 1}` });
      res.end();
    });
    const { base, requests } = options();
    const error = await failure(request(`${url}/hop0`, base));
    assert.equal(error.code, 'bad-reply');
    assert.equal(requests(), 4);
  });

  test('redirect: error and manual', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(301, { location: '/elsewhere' });
      res.end();
    });
    assert.equal((await failure(request(url, options({ redirect: 'error' }).base))).code, 'bad-reply');
    const manual = await request(url, options({ redirect: 'manual' }).base);
    assert.equal(manual.status, 301);
    assert.equal(manual.headers.get('location'), '/elsewhere');
  });

  test('statuses map to codes, and nothing the server sent is repeated', async () => {
    const url = await serve((req, res) => {
      const status = Number(req.url?.slice(1));
      res.writeHead(status, { 'x-reason': CANARY });
      res.end(`error page mentioning ${CANARY}`);
    });
    const codes: Record<number, string> = {
      401: 'unauthorized',
      403: 'unauthorized',
      404: 'not-found',
      418: 'bad-reply',
      503: 'unreachable',
    };
    for (const [status, code] of Object.entries(codes)) {
      const error = await failure(
        fetchJson(`${url}/${status}`, options({ access: { url, token: CANARY } }).base),
      );
      assert.equal(error.code, code, `HTTP ${status}`);
      assert.ok(!error.message.includes(CANARY));
      assert.ok(!error.message.includes('error page'));
    }
  });

  test('a reply that is not JSON is a bad reply, not echoed', async () => {
    const url = await serve((_req, res) => res.end(`<html>${CANARY}</html>`));
    const error = await failure(fetchJson(url, options().base));
    assert.equal(error.code, 'bad-reply');
    assert.ok(!error.message.includes(CANARY));
  });

  test('a URL with credentials in it is refused and they are not printed', async () => {
    const error = await failure(request(`http://user:${CANARY}@127.0.0.1:9/x`, options().base));
    assert.equal(error.code, 'bad-config');
    assert.ok(!error.message.includes(CANARY));
  });

  test('cancelled by the caller', async () => {
    const url = await serve((_req, res) => {
      setTimeout(() => res.end('{}'), 3_000).unref();
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const error = await failure(request(url, { signal: controller.signal, countRequest: () => {} }));
    assert.equal(error.code, 'unreachable');
    assert.match(error.message, /cancelled/);
  });

  test('redirect targets: never https to http, never another scheme or credentials', () => {
    const from = new URL('https://registry.example/a');
    assert.equal(nextLocation(from, '/b', 'https://registry.example').href, 'https://registry.example/b');
    assert.equal(nextLocation(from, 'https://cdn.example/c', 'x').href, 'https://cdn.example/c');
    for (const location of ['http://registry.example/b', 'file:///etc/passwd', 'https://u:p@cdn.example/']) {
      assert.throws(() => nextLocation(from, location, 'https://registry.example'), UpdateSourceError);
    }
    assert.equal(nextLocation(new URL('http://127.0.0.1:1/a'), 'http://127.0.0.1:2/b', 'x').port, '2');
  });
});
