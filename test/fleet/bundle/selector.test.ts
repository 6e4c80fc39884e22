/** matchesSelector: matchLabels semantics over a machine's labels (enrolment labels + os/arch). */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import {
  isLabelKey,
  isLabelValue,
  LABEL_KEY,
  LABEL_MAX_CHARS,
  LABEL_VALUE,
  matchesSelector,
  SELECTOR_MAX_ENTRIES,
  targetSelector,
} from '../../../src/fleet/bundle/selector.js';

const mac = { team: 'platform', os: 'darwin', arch: 'arm64' };

describe('matchesSelector', () => {
  test('every key must be equal', () => {
    assert.equal(matchesSelector({ team: 'platform', os: 'darwin' }, mac), true);
    assert.equal(matchesSelector({ team: 'platform', os: 'linux' }, mac), false);
    assert.equal(
      matchesSelector({ team: 'platform', region: 'eu' }, mac),
      false,
      'a missing label never matches',
    );
    assert.equal(matchesSelector({ team: 'Platform' }, mac), false, 'values are compared exactly');
  });

  test('an empty or absent selector matches every machine', () => {
    assert.equal(matchesSelector({}, mac), true);
    assert.equal(matchesSelector(undefined, {}), true);
  });

  test('inherited object keys are not labels', () => {
    const selector = JSON.parse('{"constructor":"x"}') as Record<string, string>;
    assert.equal(matchesSelector(selector, mac), false);
    assert.equal(matchesSelector({ toString: '' } as Record<string, string>, {}), false);
  });
});

describe('targetSelector', () => {
  test('reads the selector from settings, {} when absent or not a map', () => {
    assert.deepEqual(targetSelector({ selector: { team: 'platform' } }), { team: 'platform' });
    assert.deepEqual(targetSelector({}), {});
    assert.deepEqual(targetSelector({ selector: ['team'] }), {});
  });
});

describe('label shapes', () => {
  const schema = JSON.parse(
    readFileSync(new URL('../../../schemas/environment.schema.json', import.meta.url), 'utf8'),
  ) as { $defs: Record<string, { pattern: string; maxLength: number; maxProperties?: number }> } & {
    $defs: { target: { properties: { selector: { maxProperties: number } } } };
  };

  test('are the schema’s, so enrolment labels and selectors agree', () => {
    assert.equal(LABEL_KEY.source, schema.$defs.labelKey!.pattern);
    assert.equal(LABEL_VALUE.source, schema.$defs.labelValue!.pattern);
    assert.equal(schema.$defs.labelKey!.maxLength, LABEL_MAX_CHARS);
    assert.equal(schema.$defs.labelValue!.maxLength, LABEL_MAX_CHARS);
    assert.equal(schema.$defs.target.properties.selector.maxProperties, SELECTOR_MAX_ENTRIES);
  });

  test('keys and values', () => {
    assert.equal(isLabelKey('example.com/tier'), true);
    assert.equal(isLabelKey('-team'), false);
    assert.equal(isLabelKey('a'.repeat(64)), false);
    assert.equal(isLabelValue(''), true);
    assert.equal(isLabelValue('mac os'), false);
    assert.equal(isLabelValue('v1.2_rc-1'), true);
  });
});
