/** SSE framing, the client cap and the heartbeat, over a real HTTP server. */
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { frame, HEARTBEAT, SseHub } from '../../src/ui/sse.js';

test('an update is one event with one data line of JSON, even for a hostile environment name', () => {
  assert.equal(
    frame({ kind: 'reconcile', env: 'dev' }),
    'event: update\ndata: {"kind":"reconcile","env":"dev"}\n\n',
  );
  const f = frame({ kind: 'health', env: 'a\n\ndata: x\r\nevent: evil' });
  assert.equal(f.split('\n\n').length, 2, 'one message');
  assert.equal(f.split('\n').filter((l) => l.startsWith('data:')).length, 1);
  assert.ok(!f.includes('\r'));
  assert.deepEqual(JSON.parse(f.split('\n')[1]?.slice(6) ?? ''), {
    kind: 'health',
    env: 'a\n\ndata: x\r\nevent: evil',
  });
  assert.equal(HEARTBEAT, ': heartbeat\n\n');
});

async function withHub(hub: SseHub, fn: (url: string) => Promise<void>): Promise<void> {
  const server = http.createServer((req, res) => hub.handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await fn(`http://127.0.0.1:${(server.address() as AddressInfo).port}/events`);
  } finally {
    hub.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** Read a stream until `until` is in what arrived. */
async function readUntil(reader: ReadableStreamDefaultReader<Uint8Array>, until: string): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  while (!text.includes(until)) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  return text;
}

test('clients get updates and heartbeats; one past the cap gets 503 with Retry-After', async () => {
  const hub = new SseHub({ maxClients: 2, heartbeatMs: 50 });
  await withHub(hub, async (url) => {
    const a = await fetch(url);
    const b = await fetch(url);
    assert.equal(a.status, 200);
    assert.equal(a.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    assert.match(a.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    const c = await fetch(url);
    assert.equal(c.status, 503);
    assert.equal(c.headers.get('retry-after'), '30');
    const reader = a.body?.getReader();
    assert.ok(reader);
    assert.match(await readUntil(reader, HEARTBEAT), /^retry: 2000\n\n[\s\S]*: heartbeat\n\n/);
    hub.broadcast({ kind: 'drift', env: 'dev' });
    assert.match(
      await readUntil(reader, '"drift"'),
      /event: update\ndata: \{"kind":"drift","env":"dev"\}\n\n/,
    );
    await reader.cancel();
    await b.body?.cancel();
    // A closed stream frees its place.
    for (let i = 0; i < 50 && hub.size > 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(hub.size, 0);
    const d = await fetch(url);
    assert.equal(d.status, 200);
    await d.body?.cancel();
  });
});
