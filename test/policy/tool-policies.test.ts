/**
 * Tools as policy subjects: a Policy matching `Tool` by environment, server and MCP annotation
 * denies destructive tools in prod at the tool's entry in its lock file; one matching `ToolLock`
 * caps the number of tools per server. Locks are rendered from surfaces as `tools lock` writes
 * them; the environments a lock applies to are those deploying its server at its version.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDiagnostic, sortDiagnostics } from '../../src/core/diagnostics.js';
import { evaluatePolicies } from '../../src/policy/evaluate-policies.js';
import { buildSurface } from '../../src/surface/fingerprint.js';
import { renderLock } from '../../src/surface/lock/index.js';
import { configFromYaml } from '../resolve/config-from-yaml.js';

const repository = `apiVersion: mcp-gitops/v1
kind: Repository
metadata: { name: platform }
spec: { branch: main, policies: [] }
`;

const servers = `apiVersion: mcp-gitops/v1
kind: Server
metadata: { name: files, labels: { tier: core } }
spec:
  package: { registryType: npm, identifier: files-mcp, version: "1.0.0" }
  transport: stdio
---
apiVersion: mcp-gitops/v1
kind: Server
metadata: { name: notes }
spec:
  package: { registryType: npm, identifier: notes-mcp, version: "2.0.0" }
  transport: stdio
`;

// prod runs files 1.0.0 and notes 2.0.0; dev runs files 1.1.0 (an override) only.
const environments = `apiVersion: mcp-gitops/v1
kind: Environment
metadata: { name: dev }
spec:
  targets: [{ name: laptop, provider: client-config }]
  servers: [{ name: files, overrides: { package: { version: "1.1.0" } } }]
---
apiVersion: mcp-gitops/v1
kind: Environment
metadata: { name: prod }
spec:
  targets: [{ name: vm, provider: client-config }]
  servers: [{ name: files }, { name: notes }]
`;

const noDestructiveInProd = `apiVersion: mcp-gitops/v1
kind: Policy
metadata: { name: no-destructive-tools-in-prod }
spec:
  severity: error
  message: No destructive tools in prod
  match: { kinds: [Tool], environments: [prod], annotations: { destructiveHint: true } }
  assert: { not: {} }
`;

const atMostTwoTools = `apiVersion: mcp-gitops/v1
kind: Policy
metadata: { name: at-most-two-tools }
spec:
  severity: warning
  message: A server offers at most 2 tools
  match: { kinds: [ToolLock], servers: [files] }
  assert: { properties: { spec: { properties: { surface: { properties: { tools: { maxItems: 2 } } } } } } }
`;

const filesSurface = buildSurface({
  tools: [
    { name: 'read_file', description: 'Reads a file.', annotations: { readOnlyHint: true } },
    { name: 'delete_file', description: 'Deletes a file.', annotations: { destructiveHint: true } },
    {
      name: 'write_file',
      description: 'Writes a file.',
      annotations: { readOnlyHint: false, destructiveHint: false },
    },
  ],
});
// Says nothing about itself: by the MCP defaults it may be destructive.
const notesSurface = buildSurface({ tools: [{ name: 'wipe', description: 'Wipes the notes.' }] });

function diagnostics(policies: string, locks: Record<string, string>): string[] {
  const config = configFromYaml({
    'mcp-gitops.yaml': repository,
    'servers/s.yaml': servers,
    'environments/e.yaml': environments,
    'policies/p.yaml': policies,
    ...locks,
  });
  return sortDiagnostics(evaluatePolicies(config)).map(formatDiagnostic);
}

const locks = {
  'tool-locks/files/1.0.0.yaml': renderLock('files', '1.0.0', filesSurface),
  'tool-locks/files/1.1.0.yaml': renderLock('files', '1.1.0', filesSurface),
  'tool-locks/notes/2.0.0.yaml': renderLock('notes', '2.0.0', notesSurface),
};

function lineOf(text: string, needle: string): number {
  return text.split('\n').findIndex((l) => l.includes(needle)) + 1;
}

test('a policy denies destructive tools in prod, at the tool in the lock prod runs; unannotated tools count', () => {
  const files = locks['tool-locks/files/1.0.0.yaml'];
  const notes = locks['tool-locks/notes/2.0.0.yaml'];
  assert.deepEqual(diagnostics(noDestructiveInProd, locks), [
    `tool-locks/files/1.0.0.yaml:${lineOf(files, '- name: delete_file')}:9: error: No destructive tools in prod: Tool files/delete_file: denied by this policy (environment prod) [policy/no-destructive-tools-in-prod]`,
    `tool-locks/notes/2.0.0.yaml:${lineOf(notes, '- name: wipe')}:9: error: No destructive tools in prod: Tool notes/wipe: denied by this policy (environment prod) [policy/no-destructive-tools-in-prod]`,
  ]);
  // The same policy for dev flags the 1.1.0 lock only (dev runs files 1.1.0, not notes).
  const dev = diagnostics(noDestructiveInProd.replace('environments: [prod]', 'environments: [dev]'), locks);
  assert.deepEqual(
    dev.map((d) => d.split(':')[0]),
    ['tool-locks/files/1.1.0.yaml'],
  );
});

test('an assert on a tool field is located at that field of the tool', () => {
  const policy = `apiVersion: mcp-gitops/v1
kind: Policy
metadata: { name: described }
spec:
  severity: warning
  message: Tools say what they do in at least 14 characters
  match: { kinds: [Tool], servers: [files] }
  assert: { properties: { spec: { properties: { description: { minLength: 14 } } } } }
`;
  const out = diagnostics(policy, { 'tool-locks/files/1.0.0.yaml': locks['tool-locks/files/1.0.0.yaml'] });
  const files = locks['tool-locks/files/1.0.0.yaml'];
  assert.deepEqual(out, [
    `tool-locks/files/1.0.0.yaml:${lineOf(files, 'Reads a file.')}:${files.split('\n')[lineOf(files, 'Reads a file.') - 1]!.indexOf('"') + 1}: warning: Tools say what they do in at least 14 characters: Tool files/read_file: spec.description must NOT have fewer than 14 characters (environment prod) [policy/described]`,
  ]);
});

test('a policy caps the tool count per server through its ToolLocks', () => {
  const out = diagnostics(atMostTwoTools, locks);
  assert.equal(out.length, 2, out.join('\n'));
  assert.match(
    out[0]!,
    /^tool-locks\/files\/1\.0\.0\.yaml:\d+:\d+: warning: A server offers at most 2 tools: ToolLock files-1-0-0: spec\.surface\.tools must NOT have more than 2 items \(environment prod\)/,
  );
  assert.match(out[1]!, /^tool-locks\/files\/1\.1\.0\.yaml:.* \(environment dev\)/);
  assert.deepEqual(diagnostics(atMostTwoTools.replace('maxItems: 2', 'maxItems: 40'), locks), []);
});
