/**
 * Deeply nested YAML (src/config/parse-yaml.ts): refused while parsing, at the first node deeper
 * than MAX_NESTING, however deep the file goes; values at exactly the limit go through the later
 * stages that walk them (schemas, a policy's assert, secret scanning) without running out of stack.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { MAX_NESTING, parseYaml } from '../../src/config/parse-yaml.js';
import { BASE_REPO, buildCaseRepo } from './corpus-repo.js';
import { runCli } from './run-cli.js';

const work = mkdtempSync(join(tmpdir(), 'mcp-gitops-yaml-nesting-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** `spec:` (level 2) then `a:` holding `levels` nested collections and a scalar at the bottom. */
const HEAD = 'spec:\n  a: ';
const sequences = (levels: number) => `${HEAD}${'['.repeat(levels)}1${']'.repeat(levels)}\n`;
const mappings = (levels: number) => `${HEAD}${'{a: '.repeat(levels)}1${'}'.repeat(levels)}\n`;
function blockMappings(levels: number): string {
  let text = 'spec:\n  a:\n';
  for (let i = 0; i < levels - 1; i++) text += `${' '.repeat(4 + i)}a:\n`;
  return `${text}${' '.repeat(3 + levels)}b: 1\n`;
}

describe('YAML nesting limit', () => {
  test(`${MAX_NESTING} levels parse; one more is a yaml-nesting error at the node too deep`, () => {
    // The document's mapping is level 1, spec's value 2: 97 collections and the scalar make 100.
    for (const make of [sequences, mappings, blockMappings]) {
      assert.equal(parseYaml('f.yaml', make(MAX_NESTING - 3)).ok, true, make.name);
      const deeper = parseYaml('f.yaml', make(MAX_NESTING - 2));
      assert.equal(deeper.ok, false, make.name);
      assert.equal(!deeper.ok && deeper.diagnostic.rule, 'yaml-nesting');
    }
  });

  test('1,000, 10,000 and 100,000 levels: one diagnostic at the same place, never a stack overflow', () => {
    for (const levels of [1_000, 10_000, 100_000]) {
      for (const make of [sequences, mappings]) {
        const r = parseYaml('servers/deep.yaml', make(levels));
        assert.equal(r.ok, false);
        const { line, col, message, rule } = !r.ok ? r.diagnostic : ({} as never);
        // The first node at level 101 (`a: ` ends at column 5): the 99th `[`, or the key of the
        // 98th `{a: ` (a mapping's keys are nodes inside it).
        const deepest = make === sequences ? 6 + 98 : 6 + 97 * 4 + 1;
        assert.deepEqual(
          { line, col, message, rule },
          {
            line: 2,
            col: deepest,
            message: `YAML nested deeper than ${MAX_NESTING} levels: flatten it (deeper values are refused so that no later check can run out of stack)`,
            rule: 'yaml-nesting',
          },
          `${make.name} ${levels}`,
        );
      }
    }
  });

  test('values at exactly the limit go through schema checks, policies and secret scanning', {
    timeout: 60_000,
  }, async () => {
    const repo = join(work, 'at-limit');
    buildCaseRepo(BASE_REPO, repo);
    writeFileSync(
      join(repo, 'mcp-gitops.yaml'),
      'apiVersion: mcp-gitops/v1\nkind: Repository\nmetadata:\n  name: corpus\nspec:\n  branch: main\n  policies: [no-plaintext-secrets]\n',
    );
    // An even number of `not`s around a schema no resource satisfies: every matched one violates it.
    const policy = (nots: number) =>
      `apiVersion: mcp-gitops/v1\nkind: Policy\nmetadata:\n  name: deep\nspec:\n  severity: warning\n  message: Deep\n  match: { kinds: [Server] }\n  assert: ${'{not: '.repeat(nots)}{type: string}${'}'.repeat(nots)}\n`;
    const token = `ghp_${'A1b2C3d4E5'.repeat(4)}`.slice(0, 40);
    const server = (seqs: number) =>
      `apiVersion: mcp-gitops/v1\nkind: Server\nmetadata:\n  name: deep\nspec:\n  transport: stdio\n  command: { path: ./bin/deep }\n  extra: ${'['.repeat(seqs)}"{{server.name}}"${']'.repeat(seqs)}\n  env:\n    NESTED: ${'['.repeat(seqs)}"${token}"${']'.repeat(seqs)}\n`;
    const nots = MAX_NESTING - 4;
    const seqs = MAX_NESTING - 4;
    // At the limit: one level more would not parse.
    assert.equal(parseYaml('p.yaml', policy(nots)).ok, true);
    assert.equal(parseYaml('p.yaml', policy(nots + 1)).ok, false);
    assert.equal(parseYaml('s.yaml', server(seqs)).ok, true);
    assert.equal(parseYaml('s.yaml', server(seqs + 1)).ok, false);
    writeFileSync(join(repo, 'policies', 'deep.yaml'), policy(nots));
    writeFileSync(join(repo, 'servers', 'deep.yaml'), server(seqs));
    const r = await runCli(['validate', '--repo', repo]);
    assert.doesNotMatch(r.stderr, /^\s+at .+:\d+:\d+\)?$/m, 'stack trace on stderr');
    assert.doesNotMatch(r.stderr, /call stack|internal error/i);
    assert.equal(r.code, 1, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.ok(lines.length >= 4, r.stdout);
    for (const expected of [
      /^servers\/deep\.yaml:8:3: error: spec: unknown field "extra".* \[schema\]$/,
      /^servers\/deep\.yaml:10:\d+: error: looks like a GitHub personal access token.* \[policy\/no-plaintext-secrets\]$/,
      /^servers\/memory\.yaml:1:1: warning: Deep: Server memory: the resource has a value the policy forbids .*\[policy\/deep\]$/,
      /^servers\/everything\.yaml:1:1: warning: Deep: Server everything: .*\[policy\/deep\]$/,
    ]) {
      assert.ok(
        lines.some((l) => expected.test(l)),
        `${expected} in:\n${r.stdout}`,
      );
    }
    assert.doesNotMatch(r.stdout, /yaml-nesting/);
  });
});
