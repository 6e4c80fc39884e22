/**
 * The pieces that keep `serve`'s endpoint cheap to attack, on their own: the per-address token
 * bucket (with a fake clock) and its bounded memory, the bodies-in-flight budget, and which
 * address a request comes from with and without trusted proxies.
 */
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { describe, test } from 'node:test';
import { McpGitopsError } from '../../src/core/errors.js';
import { BodyBudget } from '../../src/serve/body-budget.js';
import { clientAddress, parseTrustedProxies, sourceKey } from '../../src/serve/client-address.js';
import { RateLimiter } from '../../src/serve/rate-limiter.js';

describe('rate limiter', () => {
  test('a burst passes, the next request waits for a token, and the bucket refills at the rate', () => {
    let now = 0;
    const limiter = new RateLimiter({ perSecond: 2, burst: 3, maxSources: 10, now: () => now });
    assert.deepEqual(
      [1, 2, 3].map(() => limiter.take('a')),
      [0, 0, 0],
    );
    assert.equal(limiter.take('a'), 1, 'one token at 2/s: within a second');
    assert.equal(limiter.take('b'), 0, 'another address has its own bucket');
    now += 500;
    assert.equal(limiter.take('a'), 0);
    assert.equal(limiter.take('a'), 1);
    now += 60_000;
    assert.deepEqual(
      [1, 2, 3, 4].map(() => limiter.take('a')),
      [0, 0, 0, 1],
      'refilled to the burst, no more',
    );
  });

  test('Retry-After is the whole seconds until the next token', () => {
    let now = 0;
    const limiter = new RateLimiter({ perSecond: 0.25, burst: 1, maxSources: 10, now: () => now });
    assert.equal(limiter.take('a'), 0);
    assert.equal(limiter.take('a'), 4);
    now += 3_500;
    assert.equal(limiter.take('a'), 1);
  });

  test('rate 0 turns the limit off', () => {
    const limiter = new RateLimiter({ perSecond: 0, burst: 1, maxSources: 1 });
    for (let i = 0; i < 100; i++) assert.equal(limiter.take('a'), 0);
    assert.equal(limiter.size, 0);
  });

  test('100,000 addresses: the map stays at its bound, the least recently seen are forgotten first', () => {
    let now = 0;
    const limiter = new RateLimiter({ perSecond: 1, burst: 2, maxSources: 1_000, now: () => now });
    limiter.take('kept');
    limiter.take('kept');
    assert.equal(limiter.take('kept'), 1);
    for (let i = 0; i < 100_000; i++) {
      limiter.take(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
      if (i % 500 === 0) limiter.take('kept'); // seen again: stays remembered (and limited)
      assert.ok(limiter.size <= 1_000);
    }
    now += 10;
    assert.equal(limiter.take('kept'), 1, 'an address in use is not evicted by a flood of others');
    assert.equal(limiter.size, 1_000);
  });
});

describe('body budget', () => {
  test('bodies and bytes are both capped; release frees once', () => {
    const budget = new BodyBudget(2, 100);
    const a = budget.reserve(60);
    assert.ok(a);
    assert.equal(budget.reserve(50), undefined, 'bytes over the cap');
    const b = budget.reserve(40);
    assert.ok(b);
    assert.equal(budget.reserve(0), undefined, 'bodies over the cap');
    a();
    a();
    assert.deepEqual([budget.bodies, budget.bytes], [1, 40]);
    b();
    assert.deepEqual([budget.bodies, budget.bytes], [0, 0]);
  });
});

function request(peer: string, forwardedFor?: string | string[]): IncomingMessage {
  return {
    socket: { remoteAddress: peer },
    headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
  } as unknown as IncomingMessage;
}

describe('client address', () => {
  const trusted = parseTrustedProxies(['10.0.0.0/8', '192.168.1.10', 'fd00::/8']);

  test('without trusted proxies X-Forwarded-For is never read', () => {
    assert.equal(clientAddress(request('203.0.113.9', '198.51.100.1'), undefined), '203.0.113.9');
    assert.equal(clientAddress(request('::ffff:203.0.113.9'), undefined), '203.0.113.9');
  });

  test('from a peer that is not a trusted proxy the header is ignored', () => {
    assert.equal(clientAddress(request('203.0.113.9', '198.51.100.1'), trusted), '203.0.113.9');
    assert.equal(clientAddress(request('192.168.1.11', '198.51.100.1'), trusted), '192.168.1.11');
  });

  test('from a trusted proxy: the rightmost address that is not a trusted proxy', () => {
    assert.equal(clientAddress(request('10.1.2.3', '198.51.100.1'), trusted), '198.51.100.1');
    // The client wrote the first entry itself; the proxy appended the address it saw.
    assert.equal(clientAddress(request('10.1.2.3', '1.2.3.4, 198.51.100.1'), trusted), '198.51.100.1');
    // Two proxies: the inner one is trusted too, so the walk goes on past it.
    assert.equal(
      clientAddress(request('::ffff:10.1.2.3', '198.51.100.1, 192.168.1.10'), trusted),
      '198.51.100.1',
    );
    assert.equal(clientAddress(request('fd00::5', ['198.51.100.1', '10.9.9.9']), trusted), '198.51.100.1');
    assert.equal(clientAddress(request('10.1.2.3', '2001:db8::1'), trusted), '2001:db8::1');
  });

  test('from a trusted proxy without a usable header: the proxy (or the last trusted hop) is the client', () => {
    assert.equal(clientAddress(request('10.1.2.3'), trusted), '10.1.2.3');
    assert.equal(clientAddress(request('10.1.2.3', 'not-an-ip'), trusted), '10.1.2.3');
    assert.equal(clientAddress(request('10.1.2.3', 'junk, 10.4.4.4'), trusted), '10.4.4.4');
    assert.equal(clientAddress(request('10.1.2.3', '10.4.4.4, 10.5.5.5'), trusted), '10.4.4.4');
  });

  test('bad --trust-proxy values are usage errors', () => {
    for (const bad of ['10.0.0.0/33', 'example.com', '10.0.0.0/8/1', '::1/129', '10.0.0.0/']) {
      assert.throws(
        () => parseTrustedProxies([bad]),
        (e: unknown) => e instanceof McpGitopsError && e.code === 'ERR_USAGE',
        bad,
      );
    }
    assert.ok(parseTrustedProxies(['10.0.0.0/8,127.0.0.1']).has('127.0.0.1'));
  });

  test('rate limit keys: IPv4 as is, IPv6 by its /64', () => {
    assert.equal(sourceKey('203.0.113.9'), '203.0.113.9');
    assert.equal(sourceKey('::ffff:203.0.113.9'), '203.0.113.9');
    assert.equal(sourceKey('2001:db8:1:2:aaaa::1'), sourceKey('2001:db8:1:2:ffff:1:2:3'));
    assert.notEqual(sourceKey('2001:db8:1:2::1'), sourceKey('2001:db8:1:3::1'));
    assert.equal(sourceKey('2001:db8::1'), '2001:db8:0:0::/64');
    assert.equal(sourceKey('::1'), '0:0:0:0::/64');
    assert.equal(sourceKey('64:ff9b::192.0.2.1'), '64:ff9b:0:0::/64');
  });
});
