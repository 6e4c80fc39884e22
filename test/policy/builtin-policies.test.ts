import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { builtinPolicies } from '../../src/policy/builtin-policies.js';
import { TRUSTED_OPTIONS } from '../../src/policy/compile-assert.js';

test('every built-in assert is a valid JSON Schema 2020-12 (they are compiled unchecked at run time)', () => {
  const builtins = [...builtinPolicies().values()];
  assert.ok(builtins.length >= 4);
  // Checked against the meta-schema, with the options (and RegExp engine) they run with.
  const ajv = new Ajv2020({ ...TRUSTED_OPTIONS, validateSchema: true, meta: true });
  for (const policy of builtins) {
    assert.doesNotThrow(() => ajv.compile(structuredClone(policy.resource.spec.assert)), policy.file);
    assert.equal(policy.resource.apiVersion, 'mcp-gitops/v1');
    assert.match(policy.file, /^policies\/[a-z-]+\.yaml$/);
  }
  assert.deepEqual(
    builtins.filter((p) => p.scanner).map((p) => p.name),
    ['no-plaintext-secrets', 'tool-description-hygiene'],
  );
  assert.deepEqual(
    builtins.filter((p) => p.enabledByDefault).map((p) => p.name),
    ['tool-description-hygiene'],
  );
});
