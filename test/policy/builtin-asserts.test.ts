import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { assertPolicies, precompiledAssert } from '../../src/policy/builtin-asserts.js';
import { assertErrors, compileAssert } from '../../src/policy/compile-assert.js';
import { GENERATED_FILE, generateBuiltinAssertsSource } from '../../src/policy/generate-builtin-asserts.js';

describe('precompiled built-in policy asserts', () => {
  test('the generated file matches policies/ (run src/policy/generate-builtin-asserts.ts)', () => {
    assert.equal(readFileSync(GENERATED_FILE, 'utf8'), generateBuiltinAssertsSource());
  });

  test('each precompiled assert reports exactly what the runtime-compiled one reports', () => {
    const unpinned = {
      spec: {
        package: { registryType: 'npm', identifier: 'x', version: '^1.0.0' },
        health: { expectTools: [] },
      },
    };
    const subjects = [unpinned, { spec: { sync: { prune: true } } }, { spec: {} }, {}];
    const names = assertPolicies().map((p) => p.name);
    assert.ok(names.includes('pinned-versions') && names.includes('require-health-check'));
    let failures = 0;
    for (const policy of assertPolicies()) {
      const pre = precompiledAssert(policy.name);
      assert.ok(pre, `${policy.name} is precompiled`);
      const runtime = compileAssert(policy.resource.spec.assert, { trusted: true });
      assert.ok(runtime.ok);
      for (const subject of subjects) {
        const errors = assertErrors(pre, subject);
        failures += errors.length;
        assert.deepEqual(errors, assertErrors(runtime.validate, subject));
      }
    }
    assert.ok(failures > 0, 'the subjects violate some policy');
  });
});
