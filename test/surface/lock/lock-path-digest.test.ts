/**
 * Locks of OCI servers pinned by digest (`1.2.3@sha256:<hex>`, `sha256:<hex>`): the file name has
 * no `:` (not allowed on Windows), a bare digest never meets a tag spelled `sha256-<hex>`, the name
 * is a DNS label, and such a lock passes the ToolLock schema and validates clean next to its Server.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildConfigSet } from '../../../src/config/load-config.js';
import { buildSurface } from '../../../src/surface/fingerprint.js';
import { findLock, lockName, lockPath, renderLock } from '../../../src/surface/lock/index.js';
import { validateConfig } from '../../../src/validate/validate-config.js';

const HEX = '0123456789abcdef'.repeat(4);
const DIGEST = `sha256:${HEX}`;
const REPO = 'apiVersion: mcp-gitops/v1\nkind: Repository\nmetadata: { name: r }\nspec: { branch: main }\n';
const server = (version: string) => `apiVersion: mcp-gitops/v1
kind: Server
metadata: { name: img }
spec:
  package: { registryType: oci, identifier: ghcr.io/acme/img, version: "${version}" }
  transport: streamable-http
  port: 8080
`;
const surface = buildSurface({
  tools: [{ name: 'echo', description: 'Echoes', inputSchema: { type: 'object' } }],
});

function load(files: Record<string, string>) {
  const read = { files: Object.entries(files).map(([path, text]) => ({ path, text })), diagnostics: [] };
  return buildConfigSet('/repo', 'worktree', undefined, read as never);
}

test('digest pins are filed without a colon, and a bare digest apart from a look-alike tag', () => {
  assert.equal(lockPath('img', `1.2.3@${DIGEST}`), `tool-locks/img/1.2.3@sha256-${HEX}.yaml`);
  assert.equal(lockPath('img', DIGEST), `tool-locks/img/@sha256-${HEX}.yaml`);
  assert.equal(lockPath('img', `sha256-${HEX}`), `tool-locks/img/sha256-${HEX}.yaml`);
  assert.equal(lockPath('img', '1.2.3'), 'tool-locks/img/1.2.3.yaml');
});

test('their names are distinct DNS labels', () => {
  const names = [`1.2.3@${DIGEST}`, DIGEST, `sha256-${HEX}`, `1.2.4@${DIGEST}`].map((v) =>
    lockName('img', v),
  );
  for (const name of names) assert.match(name, /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, name);
  assert.equal(new Set(names).size, names.length);
});

for (const version of [`1.2.3@${DIGEST}`, DIGEST]) {
  test(`a lock of ${version.slice(0, 20)}… loads, validates clean and is found`, () => {
    const path = lockPath('img', version);
    const { config, diagnostics } = load({
      'mcp-gitops.yaml': REPO,
      'servers/img.yaml': server(version),
      [path]: renderLock('img', version, surface),
    });
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(validateConfig(config), []);
    assert.deepEqual(findLock(config, 'img', version), { file: path, surface });
  });
}
