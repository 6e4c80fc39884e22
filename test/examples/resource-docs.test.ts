import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { test } from 'node:test';
import { DOC_PATH, generateResourceDocs } from '../../scripts/gen-resource-docs.js';

test('docs/resources.md is what scripts/gen-resource-docs.ts generates from the schemas', () => {
  const generated = generateResourceDocs();
  assert.equal(
    fs.readFileSync(DOC_PATH, 'utf8'),
    generated,
    'stale: run node --import tsx scripts/gen-resource-docs.ts and commit docs/resources.md',
  );
  for (const kind of ['Repository', 'Server', 'Environment', 'Policy', 'Hook']) {
    assert.match(generated, new RegExp(`^## ${kind}$`, 'm'));
  }
  assert.match(generated, /\| `spec\.package\.version` \| string \| yes \|/);
});
