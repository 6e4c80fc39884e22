import assert from 'node:assert/strict';
import { test } from 'node:test';
import { shown } from '../../../src/serve/leader/follower-deliveries.js';

test('a holder identity read from the Lease is shown only as its own characters, bounded', () => {
  assert.equal(shown('mcp-gitops-7d9f.pod_1a2b3c4d'), 'mcp-gitops-7d9f.pod_1a2b3c4d');
  assert.equal(shown(''), 'none yet');
  assert.equal(shown('<script>alert(1)</script>\n"x"'), 'scriptalert1scriptx');
  assert.equal(shown('a'.repeat(500)).length, 100);
});
