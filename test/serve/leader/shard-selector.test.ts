import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  formatShardSelector,
  matchesShard,
  parseShardSelector,
  shardLeaseName,
} from '../../../src/serve/leader/shard-selector.js';

describe('--shard-selector', () => {
  test('pairs parse, match only environments carrying all of them, and print sorted', () => {
    const s = parseShardSelector('tier=prod, team=payments');
    assert.equal(formatShardSelector(s), 'team=payments,tier=prod');
    assert.equal(matchesShard(s, { team: 'payments', tier: 'prod', extra: 'x' }), true);
    assert.equal(matchesShard(s, { team: 'payments' }), false);
    assert.equal(matchesShard(s, undefined), false);
    assert.equal(matchesShard(parseShardSelector('example.com/shard=a'), { 'example.com/shard': 'a' }), true);
    assert.equal(matchesShard(parseShardSelector('shard='), { shard: '' }), true);
  });

  for (const [bad, why] of [
    ['', /empty/],
    ['team', /not key=value/],
    ['te am=x', /not a label key/],
    ['team=a b', /not a label value/],
    ['Example.COM/x=1', /not a label key/],
    ['a=1,a=2', /given twice/],
    [`k=${'v'.repeat(64)}`, /not a label value/],
  ] as const)
    test(`refused: ${JSON.stringify(bad.slice(0, 20))}`, () => {
      assert.throws(
        () => parseShardSelector(bad),
        (err: Error) => why.test(err.message),
      );
    });

  test('each selector gets its own valid Lease name; the same pairs in any order the same one', () => {
    const a = shardLeaseName('mcp-gitops-leader', parseShardSelector('shard=a'));
    const b = shardLeaseName('mcp-gitops-leader', parseShardSelector('shard=b'));
    assert.match(a, /^mcp-gitops-leader-shard-a-[0-9a-f]{8}$/);
    assert.notEqual(a, b);
    assert.equal(
      shardLeaseName('l', parseShardSelector('x=1,y=2')),
      shardLeaseName('l', parseShardSelector('y=2,x=1')),
    );
    assert.notEqual(
      shardLeaseName('l', parseShardSelector('A=b')),
      shardLeaseName('l', parseShardSelector('a=b')),
    );
    const long = shardLeaseName(
      'l',
      parseShardSelector(`${'k'.repeat(63)}=${'v'.repeat(63)},b=${'w'.repeat(63)}`),
    );
    assert.ok(long.length <= 253);
    assert.match(long, /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/);
  });
});
