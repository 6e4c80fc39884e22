import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CronError, cronMatches, parseCron } from '../../../src/updates/policy/cron.js';

const at = (iso: string) => new Date(iso);

test('every minute matches any instant', () => {
  assert.equal(cronMatches('* * * * *', at('2026-12-05T12:34:56Z')), true);
});

test('fields are read in UTC', () => {
  // 2026-12-05 is a Saturday.
  assert.equal(cronMatches('30 2 * * *', at('2026-12-05T02:30:10Z')), true);
  assert.equal(cronMatches('30 2 * * *', at('2026-12-05T02:31:00Z')), false);
  assert.equal(cronMatches('30 2 * * *', at('2026-12-05T03:30:00Z')), false);
});

test('lists, ranges and steps', () => {
  const c = parseCron('0,15,30-32 */6 1-10/3 * *');
  assert.deepEqual(
    [...c.minute].sort((a, b) => a - b),
    [0, 15, 30, 31, 32],
  );
  assert.deepEqual([...c.hour], [0, 6, 12, 18]);
  assert.deepEqual([...c.dayOfMonth], [1, 4, 7, 10]);
  assert.deepEqual([...parseCron('5/20 * * * *').minute], [5, 25, 45]);
});

test('names for months and days, any case; 7 is Sunday', () => {
  assert.equal(cronMatches('* * * dec sat', at('2026-12-05T00:00:00Z')), true);
  assert.equal(cronMatches('* * * JAN-nov * ', at('2026-12-05T00:00:00Z')), false);
  assert.equal(cronMatches('* * * * mon-fri', at('2026-12-05T00:00:00Z')), false);
  assert.equal(cronMatches('* * * * 7', at('2026-12-06T00:00:00Z')), true);
  assert.equal(cronMatches('* * * * 0', at('2026-12-06T00:00:00Z')), true);
  assert.equal(cronMatches('* * * * sun', at('2026-12-06T00:00:00Z')), true);
});

test('day of month and day of week both restricted: either one matches (Vixie cron)', () => {
  // The 1st of the month, or any Monday. 2026-12-07 is a Monday, 2026-12-01 a Tuesday.
  const c = parseCron('0 9 1 * mon');
  assert.equal(cronMatches(c, at('2026-12-07T09:00:00Z')), true);
  assert.equal(cronMatches(c, at('2026-12-01T09:00:00Z')), true);
  assert.equal(cronMatches(c, at('2026-12-02T09:00:00Z')), false);
  // Only one restricted: both must hold.
  assert.equal(cronMatches('0 9 * * mon', at('2026-12-01T09:00:00Z')), false);
  assert.equal(cronMatches('0 9 1 * *', at('2026-12-07T09:00:00Z')), false);
});

test('errors name the field and what is wrong', () => {
  const cases: [string, RegExp][] = [
    ['* * * *', /expected 5 fields .* found 4/],
    ['* * * * * *', /found 6/],
    ['', /found 0/],
    ['60 * * * *', /^minute: 60 is outside 0-59$/],
    ['* 24 * * *', /^hour: 24 is outside 0-23$/],
    ['* * 0 * *', /^day of month: 0 is outside 1-31$/],
    ['* * * 13 *', /^month: 13 is outside 1-12$/],
    ['* * * * 8', /^day of week: 8 is outside 0-7$/],
    ['* * * foo *', /^month: unknown name "foo" \(use jan, feb/],
    ['* * * * funday', /^day of week: "funday" is not a number or a name$/],
    ['*/0 * * * *', /^minute: step "0" must be a whole number from 1$/],
    ['5-1 * * * *', /^minute: range "5-1" runs backwards$/],
    ['1,,2 * * * *', /^minute: empty list item/],
    ['1/2/3 * * * *', /more than one "\/"/],
    ['1-2-3 * * * *', /is not a range/],
    ['@daily * * * *', /^minute: "@daily" is not a number$/],
  ];
  for (const [expr, message] of cases) {
    assert.throws(
      () => parseCron(expr),
      (err: unknown) => err instanceof CronError && message.test(err.message),
      expr,
    );
  }
  assert.throws(() => parseCron('1,'.repeat(150)), /longer than 200/);
});

test('an invalid date never matches', () => {
  assert.equal(cronMatches('* * * * *', new Date(Number.NaN)), false);
});
