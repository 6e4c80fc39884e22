/**
 * `mcp-gitops serve` (the real CLI, its own process, a real `git http-backend` remote) facing the
 * clients an internet-facing webhook endpoint gets: a flood of unsigned 1 MiB POSTs (its RSS read
 * from /proc), headers that are refused before the body is read, slow-loris headers and bodies,
 * one address sending too fast, and X-Forwarded-For from trusted and untrusted peers. Through all
 * of it /healthz answers, and a signed push still reconciles.
 *
 * Every server listens on 127.0.0.1; clients pick their source address among 127.x.y.z (all this
 * host's loopback) so that each case has its own rate limit bucket and the proxy case has a
 * trusted and an untrusted peer.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { requireTools } from '../helpers/require-tools.js';
import { promtoolCheckMetrics, seriesOf } from '../metrics/promtool.js';
import { type ConfigRemote, createConfigRemote } from '../remote/config-remote.js';
import { example, pushPayload } from './github-deliveries.js';
import { memoryOf, resetPeak, type ServeProcess, sleep, startServeProcess } from './serve-process.js';
import {
  type Answer,
  flood,
  probeHealthz,
  type RawClient,
  rawClient,
  sendDelivery,
  webhookHead,
} from './webhook-flood.js';

requireTools('promtool');

const SECRET = 'whsec-hostile-3e8a1c';
const MiB = 1024 * 1024;
const FAKE_SIGNATURE = `sha256=${'ab'.repeat(32)}`;

async function waitForLog(serve: ServeProcess, check: (l: Record<string, unknown>) => boolean, what: string) {
  const deadline = Date.now() + 120_000;
  while (!serve.lines.some(check)) {
    if (Date.now() > deadline) throw new Error(`no log line: ${what}`);
    await sleep(50);
  }
}

const statusOf = (c: RawClient) => /^HTTP\/1\.1 (\d{3})/.exec(c.received())?.[1];

describe('serve with its default limits: a flood', { timeout: 240_000 }, () => {
  let remote: ConfigRemote;
  let serve: ServeProcess;
  before(async () => {
    remote = await createConfigRemote();
    serve = await startServeProcess(remote, 'flood', {
      secret: SECRET,
      args: ['--github-repo', 'Codertocat/Hello-World'],
    });
    await serve.ready();
    await waitForLog(serve, (l) => l.msg === 'reconciled', 'the startup reconcile');
  });
  after(async () => {
    await serve?.stop();
    await remote?.close();
  });

  test('500 concurrent unsigned 1 MiB POSTs: all refused, RSS grows under 50 MiB, /healthz answers', async () => {
    // Warm the refusal path up from another address (its own rate limit bucket), then measure.
    await flood(serve.url, { count: 20, bytes: MiB, localAddress: '127.0.1.1' });
    await sleep(500);
    const before = memoryOf(serve.pid);
    const peakWasReset = resetPeak(serve.pid);
    let sampled = before.rss;
    const sampler = setInterval(() => {
      sampled = Math.max(sampled, memoryOf(serve.pid).rss);
    }, 5);
    const flooding = flood(serve.url, { count: 500, bytes: MiB });
    const probing = probeHealthz(serve.url, flooding, { everyMs: 10, timeoutMs: 30_000 });
    const result = await flooding;
    const health = await probing;
    clearInterval(sampler);
    const after = memoryOf(serve.pid);
    const peak = Math.max(sampled, after.rss, peakWasReset ? after.peak : 0);
    const answers = JSON.stringify(Object.fromEntries(result.answers));

    assert.equal(result.accepted, 0, answers);
    for (const key of result.answers.keys())
      assert.ok(
        key === '401' || key === '429' || key.startsWith('error:'),
        `unexpected answer ${key}: ${answers}`,
      );
    assert.ok((result.answers.get('401') ?? 0) >= 1, answers);
    assert.ok((result.answers.get('429') ?? 0) >= 1, `the burst (100) is used up: ${answers}`);
    const growth = (peak - before.rss) / MiB;
    assert.ok(
      growth < 50,
      `RSS ${(before.rss / MiB).toFixed(1)} MiB → peak ${(peak / MiB).toFixed(1)} MiB (+${growth.toFixed(1)} MiB)`,
    );
    assert.deepEqual(health.failures, []);
    assert.ok(health.latencies.length >= 1, 'at least one /healthz probe while the flood ran');
  });

  test('made-up event names do not become metric labels; the metrics stay clean under promtool', async () => {
    for (let i = 0; i < 20; i++)
      await flood(serve.url, {
        count: 1,
        bytes: 1024,
        localAddress: '127.0.1.2',
        headers: { 'x-github-event': `made-up-${i}` },
      });
    const text = await (await fetch(`${serve.url}/metrics`)).text();
    const lint = promtoolCheckMetrics(text);
    assert.equal(lint.code, 0, `promtool check metrics:\n${lint.output}`);
    const series = seriesOf(text, 'mcp_gitops_webhook_deliveries_total');
    assert.ok(!series.some((s) => s.includes('made-up')), series.join('\n'));
    assert.ok(
      series.some((s) => s.startsWith('{event=unknown,outcome=refused-early}')),
      series.join('\n'),
    );
    assert.ok(
      series.some((s) => s.startsWith('{event=push,outcome=refused-early}')),
      series.join('\n'),
    );
    assert.ok(
      series.some((s) => s.startsWith('{event=push,outcome=rate-limited}')),
      series.join('\n'),
    );
  });

  test('after the flood a signed push still fetches, reconciles and pushes its report', async () => {
    remote.pusher.write('servers/memory.yaml', remote.memoryServerYaml('after-flood'));
    const sha = await remote.pusher.commitAndPush('memory: after-flood');
    const reconciled = () => serve.lines.filter((l) => l.msg === 'reconciled' && l.trigger === 'push').length;
    const before = reconciled();
    let res: Answer | undefined;
    // The flood's address may still be waiting for a token: honour Retry-After, boundedly.
    for (let i = 0; i < 10; i++) {
      res = await sendDelivery(serve.url, {
        secret: SECRET,
        event: 'push',
        payload: pushPayload('main', sha),
      });
      if (res.status !== 429) break;
      await sleep(1000 * Number(res.headers['retry-after'] ?? 1));
    }
    assert.equal(res?.status, 202, res?.text);
    await waitForLog(serve, () => reconciled() > before, 'the reconcile of the push');
    const report = JSON.parse(remote.remoteGit('show', 'main:reports/dev/laptop.json')) as {
      revision: { applied?: string };
    };
    assert.equal(report.revision.applied, sha);
    assert.match(remote.remoteGit('log', '-1', '--format=%B', 'main'), /Mcp-Gitops-Report: true/);
  });
});

describe('serve with tight limits: refusals, slow clients, rate limits, proxies', {
  timeout: 240_000,
}, () => {
  let remote: ConfigRemote;
  let serve: ServeProcess;
  before(async () => {
    remote = await createConfigRemote();
    serve = await startServeProcess(remote, 'tight', {
      secret: SECRET,
      args: [
        '--header-timeout',
        '1s',
        '--body-timeout',
        '2s',
        '--body-deadline',
        '4s',
        '--rate-limit',
        '0.25',
        '--rate-burst',
        '5',
        '--trust-proxy',
        '127.0.0.2',
      ],
    });
  });
  after(async () => {
    await serve?.stop();
    await remote?.close();
  });

  const signedHead = (extra: Record<string, string | number> = {}) => ({
    'Content-Type': 'application/json',
    'X-GitHub-Event': 'push',
    'X-GitHub-Delivery': 'd-1',
    'X-Hub-Signature-256': FAKE_SIGNATURE,
    'Content-Length': MiB,
    ...extra,
  });

  test('bad headers are answered at once, before the declared 1 MiB body (1 byte of it sent), and the connection closed', async () => {
    const cases: { name: string; headers: Record<string, string | number>; status: string }[] = [
      { name: 'no signature', headers: { ...signedHead(), 'X-Hub-Signature-256': '' }, status: '401' },
      {
        name: 'not hex',
        headers: signedHead({ 'X-Hub-Signature-256': `sha256=${'zz'.repeat(32)}` }),
        status: '401',
      },
      {
        name: 'sha1',
        headers: signedHead({ 'X-Hub-Signature-256': `sha1=${'ab'.repeat(20)}` }),
        status: '401',
      },
      {
        name: '63 hex',
        headers: signedHead({ 'X-Hub-Signature-256': FAKE_SIGNATURE.slice(0, -1) }),
        status: '401',
      },
      { name: 'no event', headers: { ...signedHead(), 'X-GitHub-Event': '' }, status: '400' },
      {
        name: 'form body',
        headers: signedHead({ 'Content-Type': 'application/x-www-form-urlencoded' }),
        status: '400',
      },
      { name: 'declared over the cap', headers: signedHead({ 'Content-Length': 2 * MiB }), status: '413' },
    ];
    let n = 0;
    for (const c of cases) {
      const headers = Object.fromEntries(Object.entries(c.headers).filter(([, v]) => v !== ''));
      const client = await rawClient(serve.port, `127.0.2.${++n}`);
      try {
        client.write(`${webhookHead(headers)}{`);
        await client.until(() => client.received().includes('\r\n\r\n'), `${c.name}: an answer`);
        assert.equal(statusOf(client), c.status, `${c.name}: ${client.received()}`);
        assert.match(client.received(), /\r\nconnection: close\r\n/i, c.name);
        await client.until(() => client.closed(), `${c.name}: the connection closed`);
      } finally {
        client.destroy();
      }
    }
  });

  test('a refused client that keeps sending its body is cut off', async () => {
    const client = await rawClient(serve.port, '127.0.2.100');
    try {
      client.write(`${webhookHead(signedHead({ 'X-Hub-Signature-256': 'sha256=nope' }))}{`);
      await client.until(() => client.received().includes('\r\n\r\n'), 'the 401');
      assert.equal(statusOf(client), '401');
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      let sent = 0;
      await client.until(() => {
        if (client.write(chunk)) sent += chunk.length;
        return client.closed();
      }, 'the server closing the connection');
      assert.ok(sent < MiB, `sent ${sent} bytes after the answer`);
    } finally {
      client.destroy();
    }
  });

  test('slow-loris: dribbled headers and stalled or trickling bodies are cut off; /healthz answers meanwhile', async () => {
    const clients: RawClient[] = [];
    let stop!: () => void;
    const stopped = new Promise<void>((r) => {
      stop = r;
    });
    const probing = probeHealthz(serve.url, stopped, { everyMs: 50, timeoutMs: 5_000 });
    try {
      // Ten clients sending their headers one byte a second.
      const head = webhookHead(signedHead());
      const dribblers = await Promise.all(
        Array.from({ length: 10 }, (_, i) => rawClient(serve.port, `127.0.3.${i + 1}`)),
      );
      clients.push(...dribblers);
      const sentBytes = dribblers.map(() => 0);
      const dribble = setInterval(() => {
        dribblers.forEach((c, i) => {
          if (c.write(head.charAt(sentBytes[i] as number))) sentBytes[i] = (sentBytes[i] as number) + 1;
        });
      }, 1000);
      // A body that stops after 10 of its 1,000 bytes.
      const stall = await rawClient(serve.port, '127.0.3.100');
      clients.push(stall);
      stall.write(`${webhookHead(signedHead({ 'Content-Length': 1000 }))}${'x'.repeat(10)}`);
      // A body that never pauses long (a byte every 200 ms) but would take minutes.
      const trickle = await rawClient(serve.port, '127.0.3.101');
      clients.push(trickle);
      trickle.write(webhookHead(signedHead({ 'Content-Length': 1000 })));
      const drip = setInterval(() => trickle.write('x'), 200);
      try {
        for (const c of [...dribblers, stall, trickle]) await c.until(() => c.closed(), 'cut off', 20_000);
      } finally {
        clearInterval(dribble);
        clearInterval(drip);
      }
      for (const [i, c] of dribblers.entries()) {
        assert.ok((sentBytes[i] as number) < head.length, 'the headers were never completed');
        assert.ok(c.received() === '' || statusOf(c) === '408', c.received());
      }
      assert.equal(statusOf(stall), '408', stall.received());
      assert.match(stall.received(), /stalled/);
      assert.equal(statusOf(trickle), '408', trickle.received());
      assert.match(trickle.received(), /too slow/);
    } finally {
      stop();
      for (const c of clients) c.destroy();
    }
    const health = await probing;
    assert.deepEqual(health.failures, []);
    assert.ok(health.latencies.length >= 10, `${health.latencies.length} probes answered`);
  });

  const ping = (localAddress: string, headers?: Record<string, string>) =>
    sendDelivery(serve.url, {
      secret: SECRET,
      event: 'ping',
      payload: example('ping'),
      localAddress,
      headers,
    });

  /** `n` pings at once from one source: their statuses, and the 429s' Retry-After. */
  async function burst(n: number, localAddress: string, headers?: (i: number) => Record<string, string>) {
    const answers = await Promise.all(Array.from({ length: n }, (_, i) => ping(localAddress, headers?.(i))));
    return {
      ok: answers.filter((a) => a.status === 200).length,
      limited: answers.filter((a) => a.status === 429),
    };
  }

  test('one address past its burst gets 429 with Retry-After, and passes again after it', async () => {
    const { ok, limited } = await burst(12, '127.0.4.1');
    assert.ok(ok >= 5, `${ok} of 12 passed (burst 5)`);
    assert.ok(limited.length >= 1, 'some were refused');
    const retryAfter = Number(limited[0]?.headers['retry-after']);
    assert.ok(
      Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 4,
      `Retry-After ${retryAfter}`,
    );
    assert.equal(limited[0]?.headers.connection, 'close');
    await sleep(retryAfter * 1000);
    let again = await ping('127.0.4.1');
    for (let i = 0; again.status === 429 && i < 5; i++) {
      await sleep(1000);
      again = await ping('127.0.4.1');
    }
    assert.equal(again.status, 200, again.text);
    assert.equal((await ping('127.0.4.2')).status, 200, 'other addresses were never limited');
  });

  test('--trust-proxy: X-Forwarded-For from the trusted peer names the client; from any other peer it is ignored', async () => {
    const clientOf = async (id: string) => {
      await waitForLog(
        serve,
        (l) => l.msg === 'webhook delivery' && l.delivery === id,
        `the log line of ${id}`,
      );
      return serve.lines.find((l) => l.msg === 'webhook delivery' && l.delivery === id)?.client;
    };
    const send = (localAddress: string, xff: string, id: string) =>
      sendDelivery(serve.url, {
        secret: SECRET,
        event: 'ping',
        payload: example('ping'),
        id,
        localAddress,
        headers: { 'x-forwarded-for': xff },
      });

    // Through the trusted proxy: the address it appended is the client; one the client wrote
    // itself further left is not.
    assert.equal((await send('127.0.0.2', '203.0.113.11', 'via-proxy')).status, 200);
    assert.equal(await clientOf('via-proxy'), '203.0.113.11');
    assert.equal((await send('127.0.0.2', '198.51.100.7, 203.0.113.12', 'spoofed')).status, 200);
    assert.equal(await clientOf('spoofed'), '203.0.113.12');
    // Each client behind the proxy has its own bucket: one is limited, another is not.
    const limited = await burst(12, '127.0.0.2', () => ({ 'x-forwarded-for': '203.0.113.10' }));
    assert.ok(limited.ok >= 5 && limited.limited.length >= 1, `${limited.ok} of 12 passed for one client`);
    assert.equal((await send('127.0.0.2', '203.0.113.13', 'other-client')).status, 200);

    // From any other peer the header changes nothing: the socket's address is the client, and
    // varying the header does not buy new buckets.
    assert.equal((await send('127.0.4.4', '203.0.113.50', 'untrusted-peer')).status, 200);
    assert.equal(await clientOf('untrusted-peer'), '127.0.4.4');
    const direct = await burst(12, '127.0.4.3', (i) => ({ 'x-forwarded-for': `203.0.113.${100 + i}` }));
    assert.ok(
      direct.ok >= 5 && direct.limited.length >= 1,
      `${direct.ok} of 12 passed from one untrusted peer`,
    );
  });
});
