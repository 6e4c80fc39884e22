/**
 * maskSecrets keeps an entry's secret variable only when it is exactly the reference mcp-gitops
 * writes; everything else becomes a placeholder, and the entry it was given is never changed.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MATERIALIZED_SECRET } from '../../../src/clients/build-entry.js';
import { DIFFERING_SECRET, maskSecrets, masks } from '../../../src/providers/client-config/mask-secrets.js';

const bindings = [
  { name: 'A', ref: 'env:A' },
  { name: 'B', ref: 'env:B' },
];
/** `${A}` and `${B}`, the references Claude Code-style clients expand. */
const REF_A = `\${A}`;
const REF_B = `\${B}`;
const values: Record<string, string> = { A: 'a-value', B: 'b-value' };
const resolve = async (b: { name: string }) => values[b.name];

test('references in sync are kept, anything else is masked, the input is untouched', async () => {
  const expected = { command: 'x', env: { A: REF_A, B: REF_B, PLAIN: 'p' } };
  const inSync = { command: 'x', env: { A: REF_A, B: REF_B, PLAIN: 'p' } };
  assert.deepEqual(await maskSecrets(inSync, expected, bindings, resolve), inSync);

  const leaked = { command: 'x', env: { A: 'a-value', B: REF_B, PLAIN: 'p' } };
  const copy = structuredClone(leaked);
  assert.deepEqual(await maskSecrets(leaked, expected, bindings, resolve), {
    command: 'x',
    env: { A: DIFFERING_SECRET, B: REF_B, PLAIN: 'p' },
  });
  assert.deepEqual(leaked, copy);

  const missing = { command: 'x', env: { PLAIN: 'p' } };
  assert.deepEqual(await maskSecrets(missing, expected, bindings, resolve), missing);
  assert.deepEqual(await maskSecrets({ command: 'x' }, expected, bindings, resolve), { command: 'x' });
  assert.deepEqual(await maskSecrets(leaked, expected, [], resolve), leaked);
});

test('materialized values are compared with the secret, or assumed in sync when it cannot be resolved', async () => {
  const expected = { env: { A: MATERIALIZED_SECRET, B: MATERIALIZED_SECRET } };
  const entry = { env: { A: 'a-value', B: 'stale' } };
  assert.deepEqual(await maskSecrets(entry, expected, bindings, resolve), {
    env: { A: MATERIALIZED_SECRET, B: DIFFERING_SECRET },
  });
  assert.deepEqual(await maskSecrets(entry, expected, bindings, async () => undefined), {
    env: { A: MATERIALIZED_SECRET, B: MATERIALIZED_SECRET },
  });
  assert.deepEqual(entry, { env: { A: 'a-value', B: 'stale' } });
});

test('a name bound twice is judged on what the first binding left', async () => {
  const twice = [
    { name: 'A', ref: 'env:A' },
    { name: 'A', ref: 'env:OTHER' },
  ];
  const masked = await maskSecrets({ env: { A: 'plain' } }, { env: { A: REF_A } }, twice, resolve);
  assert.deepEqual(masked, { env: { A: DIFFERING_SECRET } });
});

test('masks says exactly when maskSecrets changes an entry (observe skips the call otherwise)', async () => {
  const envs = [
    undefined,
    {},
    { A: REF_A },
    { A: 'a-value' },
    { A: REF_A, B: 'stale' },
    { B: REF_B, PLAIN: 'p' },
  ];
  const expectations = [undefined, { env: { A: REF_A, B: REF_B } }, { env: { A: MATERIALIZED_SECRET } }, {}];
  const bindingSets = [[], bindings, [{ name: 'A', ref: 'env:A' }], [bindings[0]!, bindings[0]!]];
  let changed = 0;
  for (const env of envs)
    for (const expected of expectations)
      for (const set of bindingSets)
        for (const resolver of [resolve, async () => undefined]) {
          const entry = env === undefined ? { command: 'x' } : { command: 'x', env };
          const masked = await maskSecrets(entry, expected, set, resolver);
          assert.equal(masks(entry, expected, set), masked !== entry, JSON.stringify({ env, expected, set }));
          if (masked !== entry) changed++;
        }
  assert.ok(changed > 20, `${changed} cases changed`);
});
