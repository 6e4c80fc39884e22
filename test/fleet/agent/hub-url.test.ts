import assert from 'node:assert/strict';
import * as http from 'node:http';
import { test } from 'node:test';
import { checkHubUrl, hubRequest } from '../../../src/fleet/agent/hub-client.js';

test('http:// only to loopback unless insecure-http was chosen; https always; nothing else', () => {
  assert.equal(checkHubUrl('https://hub.example.com', false).host, 'hub.example.com');
  assert.equal(checkHubUrl('http://127.0.0.1:8080', false).port, '8080');
  assert.equal(checkHubUrl('http://localhost:8080', false).hostname, 'localhost');
  assert.equal(checkHubUrl('http://[::1]:8080', false).hostname, '[::1]');
  assert.throws(
    () => checkHubUrl('http://hub.internal:8080', false),
    /refusing plain http:\/\/ to hub\.internal:8080/,
  );
  assert.equal(checkHubUrl('http://hub.internal:8080', true).hostname, 'hub.internal');
  assert.throws(() => checkHubUrl('ftp://hub', true), /scheme ftp: is not supported/);
  assert.throws(() => checkHubUrl('https://user:pw@hub', false), /must not carry credentials/);
  assert.throws(() => checkHubUrl('not a url', false), /is not a URL/);
  // 127.0.0.1.evil.com is not loopback.
  assert.throws(() => checkHubUrl('http://127.0.0.1.evil.com', false), /refusing plain http/);
});

test('a hub that never answers times out; one that sends too much is cut off', async (t) => {
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer((req, res) => {
    if (req.url === '/big') {
      res.writeHead(200);
      const chunk = Buffer.alloc(1024 * 1024, 'a');
      for (let i = 0; i < 9; i++) res.write(chunk);
      res.end();
    }
    // /silent: never answers
  });
  server.on('connection', (s) => sockets.add(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => {
    for (const s of sockets) s.destroy();
    server.close();
  });
  const port = (server.address() as import('node:net').AddressInfo).port;
  const hub = { hubUrl: `http://127.0.0.1:${port}`, insecureHttp: false };
  await assert.rejects(
    hubRequest(hub, { method: 'GET', path: '/silent', timeoutMs: 300 }),
    (err: Error & { kind?: string }) => {
      assert.equal(err.kind, 'network');
      assert.match(err.message, /did not answer GET \/silent: timed out/);
      return true;
    },
  );
  await assert.rejects(hubRequest(hub, { method: 'GET', path: '/big' }), /sent more than 8388608 bytes/);
});
