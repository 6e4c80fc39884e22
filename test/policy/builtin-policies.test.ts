import assert from 'node:assert/strict';
import { test } from 'node:test';
import { builtinPolicies } from '../../src/policy/builtin-policies.js';
import { compileAssert } from '../../src/policy/compile-assert.js';

test('every built-in assert is a valid JSON Schema 2020-12 (they are compiled unchecked at run time)', () => {
  const builtins = [...builtinPolicies().values()];
  assert.ok(builtins.length >= 4);
  for (const policy of builtins) {
    const compiled = compileAssert(structuredClone(policy.resource.spec.assert));
    assert.ok(compiled.ok, `${policy.file}: ${compiled.ok ? '' : compiled.error}`);
    assert.equal(policy.resource.apiVersion, 'mcp-gitops/v1');
    assert.match(policy.file, /^policies\/[a-z-]+\.yaml$/);
  }
  assert.deepEqual(
    builtins.filter((p) => p.scanner).map((p) => p.name),
    ['no-plaintext-secrets'],
  );
});
