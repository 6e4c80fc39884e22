/**
 * A policy pattern that backtracks catastrophically in JavaScript (`^(a+)+$`: the time doubles with
 * each character, 41 were enough to hang `validate`) runs on the linear-time engine: `validate`
 * through the real CLI answers for a 10,000-character value and reports the violation. No timing
 * assertion: a hang would hit the test's timeout.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { BASE_REPO, buildCaseRepo } from './corpus-repo.js';
import { runCli } from './run-cli.js';

const work = mkdtempSync(join(tmpdir(), 'mcp-gitops-user-patterns-'));
after(() => rmSync(work, { recursive: true, force: true }));

const POLICY = `apiVersion: mcp-gitops/v1
kind: Policy
metadata:
  name: only-as
spec:
  severity: error
  message: Descriptions are made of a's
  match: { kinds: [Server] }
  assert:
    properties:
      spec:
        properties:
          description: { pattern: "^(a+)+$" }
`;

test('validate answers for ^(a+)+$ against 10,000 characters and reports the violation', {
  timeout: 60_000,
}, async () => {
  const repo = join(work, 'repo');
  buildCaseRepo(BASE_REPO, repo);
  writeFileSync(join(repo, 'policies', 'only-as.yaml'), POLICY);
  const describe = (file: string, description: string) => {
    const path = join(repo, 'servers', file);
    const text = readFileSync(path, 'utf8');
    const next = text.includes('description:')
      ? text.replace(/description: .*/, `description: ${description}`)
      : text.replace('spec:\n', `spec:\n  description: ${description}\n`);
    writeFileSync(path, next);
  };
  // The worst case for a backtracking engine: all a's but the last character.
  describe('memory.yaml', `${'a'.repeat(10_000)}!`);
  describe('everything.yaml', 'a'.repeat(10_000));

  const r = await runCli(['validate', '--repo', repo]);
  assert.equal(r.code, 1, r.stderr);
  assert.equal(
    r.stdout,
    "servers/memory.yaml:7:16: error: Descriptions are made of a's: Server memory: spec.description does not match the required pattern (environment dev) [policy/only-as]\n",
  );
});
