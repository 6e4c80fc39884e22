/**
 * A server's tools/list reply is parsed at any depth, but fingerprints, diffs and policies recurse:
 * a real MCP server whose tool schema nests hundreds or thousands of levels deep fails verification
 * at once with a reason that says so, instead of a stack overflow deep in a later step.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { verifyServer } from '../../src/verify/verify-server.js';
import { createSurfaceServer, defaultSurface } from '../helpers/surface-server.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-hostile-surface-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const deepTool = (depth: number) =>
  // Written as text: JSON.stringify itself overflows on such depths.
  `{"name":"deep","inputSchema":${'{"type":"object","properties":{"a":'.repeat(depth)}{"type":"string"}${'}}'.repeat(depth)}}`;

for (const [depth, reason] of [
  [200, /tool "deep" nests deeper than 64 levels/],
  [1500, /its reply nests too deeply to read/],
] as const) {
  test(`a tool nested ${depth} levels deep is unhealthy, says why, and is not retried`, async () => {
    const server = createSurfaceServer(path.join(dir, String(depth)));
    const surface = defaultSurface();
    fs.writeFileSync(server.file, `{"tools":[${JSON.stringify(surface.tools[0])},${deepTool(depth)}]}`);
    const endpoint = { kind: 'stdio' as const, command: server.command, args: server.args, env: {} };
    const result = await verifyServer(endpoint, { timeoutMs: 15_000 });
    assert.equal(result.ok, false);
    assert.equal(result.health, 'unhealthy');
    assert.equal(result.attempts, 1, 'a reply that will not change is not worth another attempt');
    assert.match(result.error ?? '', reason);
    // The same server with a sane surface verifies: the depth, not the server, was refused.
    server.set(surface);
    const sane = await verifyServer(endpoint);
    assert.equal(sane.ok, true, sane.error);
    assert.equal(sane.surface?.tools.length, 2);
  });
}
