/**
 * The registry of version sources: every kind loads a source of that kind, once; an unknown kind
 * (a config typo, or `__proto__`) fails with the list of known ones.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UpdateSourceError } from '../../../src/updates/sources/errors.js';
import { knownSourceKinds, versionSource } from '../../../src/updates/sources/index.js';
import type { SourceKind } from '../../../src/updates/types.js';

test('each known kind loads its own source, the same one every time', async () => {
  assert.deepEqual(knownSourceKinds(), ['mcp', 'npm', 'oci', 'pypi']);
  for (const kind of knownSourceKinds()) {
    const source = await versionSource(kind);
    assert.equal(source.kind, kind);
    assert.equal(typeof source.list, 'function');
    assert.equal(await versionSource(kind), source);
  }
});

test('an unknown kind fails with the known ones', async () => {
  for (const kind of ['maven', '__proto__', 'toString']) {
    await assert.rejects(versionSource(kind as SourceKind), (error: unknown) => {
      assert.ok(error instanceof UpdateSourceError);
      assert.equal(error.code, 'bad-config');
      assert.match(error.message, /known: mcp, npm, oci, pypi$/);
      return true;
    });
  }
});
