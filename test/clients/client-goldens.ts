/**
 * What the golden tests of client adapters share (test/clients/{clis,yaml-clients,mistral-vibe}):
 * the server-memory spec they apply, a remote server, and a golden-file comparison that
 * `UPDATE_GOLDEN=1` rewrites.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ServerSpec } from '../../src/core/resources.js';
import { desired } from '../providers/client-config/fixture.js';

const UPDATE = process.env.UPDATE_GOLDEN === '1';

/** server-memory at `version`, with a plain env value and (by default) a secret reference. */
export const memorySpec = (version: string, secrets = true): ServerSpec => ({
  transport: 'stdio',
  package: { registryType: 'npm', identifier: '@modelcontextprotocol/server-memory', version },
  env: { LOG_LEVEL: 'info' },
  ...(secrets ? { secrets: [{ name: 'MEMORY_TOKEN', ref: 'env:MEMORY_TOKEN' }] } : {}),
});

export const remoteServer = () =>
  desired('remote', {
    transport: 'streamable-http',
    remote: { url: 'https://mcp.example.com/mcp', headers: { 'X-Team': 'platform' } },
  });

/** `actual` equals `<root>/<file>`; with UPDATE_GOLDEN=1 it is written there instead. */
export function assertGolden(root: string, file: string, actual: string): void {
  const path = join(root, file);
  if (UPDATE || !existsSync(path)) {
    if (!UPDATE) assert.fail(`${path} is missing: run with UPDATE_GOLDEN=1 and review it`);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  assert.equal(actual, readFileSync(path, 'utf8'), `${file} differs (UPDATE_GOLDEN=1 rewrites it)`);
}
