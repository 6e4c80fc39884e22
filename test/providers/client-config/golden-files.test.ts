/**
 * Golden tests: a user's client file, edited by the real provider apply, comes out in the file's
 * own style — indentation (4 spaces, tabs), key order, comments, trailing commas and newline kept,
 * the new entry written over several lines in that indentation, and no bare `[mcp_servers]` header
 * in Codex's TOML. Each `golden/<case>/before.*` is created into and deleted from; the results are
 * compared byte for byte with `after-create.*` and `after-delete.*`. `UPDATE_GOLDEN=1` rewrites them.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import * as jsonc from 'jsonc-parser';
import { parse as parseToml } from 'smol-toml';
import { getClient } from '../../../src/clients/registry.js';
import type { ClientId } from '../../../src/clients/types.js';
import { clientConfigProvider as provider } from '../../../src/providers/client-config/index.js';
import { change, desired, listFiles, makeFixture } from './fixture.js';

const ROOT = new URL('./golden/', import.meta.url).pathname;
const UPDATE = process.env.UPDATE_GOLDEN === '1';

interface Case {
  client: ClientId;
  /** Where the file goes under the fixture's home (projectDir is ~/src/app). */
  file: string;
  /** Whether the delete gives back `before` byte for byte. */
  restored: boolean;
}

const CASES: Record<string, Case> = {
  'four-spaces': { client: 'claude-code', file: 'src/app/.mcp.json', restored: true },
  tabs: { client: 'cursor', file: 'src/app/.cursor/mcp.json', restored: true },
  'jsonc-comments': { client: 'gemini-cli', file: 'src/app/.gemini/settings.json', restored: true },
  vscode: { client: 'vscode', file: 'src/app/.vscode/mcp.json', restored: true },
  codex: { client: 'codex', file: '.codex/config.toml', restored: true },
  // Minified: broken into lines around the new entry, which stays so after the delete.
  'one-line': { client: 'claude-code', file: 'src/app/.mcp.json', restored: false },
  // An empty `[mcp_servers]` an older version left: dropped on the first edit.
  'codex-stale-header': { client: 'codex', file: '.codex/config.toml', restored: false },
};

const memory = desired('memory', {
  transport: 'stdio',
  package: { registryType: 'npm', identifier: '@modelcontextprotocol/server-memory', version: '2026.8.31' },
  env: { LOG_LEVEL: 'info' },
  secrets: [{ name: 'MEMORY_TOKEN', ref: 'env:MEMORY_TOKEN' }],
});

function golden(name: string, file: string, actual: string): void {
  const path = join(ROOT, name, file);
  if (UPDATE || !existsSync(path)) {
    if (!UPDATE) assert.fail(`${path} is missing: run with UPDATE_GOLDEN=1 and review it`);
    writeFileSync(path, actual);
    return;
  }
  assert.equal(actual, readFileSync(path, 'utf8'), `${name}/${file} differs (UPDATE_GOLDEN=1 rewrites it)`);
}

/** The file's data (JSONC or TOML) as plain JSON values. */
function data(text: string, toml: boolean): Record<string, unknown> {
  if (toml) return JSON.parse(JSON.stringify(parseToml(text))) as Record<string, unknown>;
  const errors: jsonc.ParseError[] = [];
  const value = jsonc.parse(text, errors, { allowTrailingComma: true }) as Record<string, unknown>;
  assert.deepEqual(errors, [], 'parses as JSONC');
  return value;
}

describe('client files edited in their own style (golden)', () => {
  for (const [name, c] of Object.entries(CASES)) {
    test(`${name}: ${c.client} ${c.file}`, async (t) => {
      const toml = c.file.endsWith('.toml');
      const ext = toml ? 'toml' : 'json';
      const before = readFileSync(join(ROOT, name, `before.${ext}`), 'utf8');
      const fx = await makeFixture({ clients: [c.client] }, { [c.file]: before });
      t.after(fx.cleanup);
      const client = getClient(c.client);

      const created = await provider.apply(fx.ctx, change('create', memory));
      assert.equal(created.outcome, 'applied', created.message);
      const afterCreate = (await fx.read(c.file)).replaceAll(fx.home, '/home/me');
      golden(name, `after-create.${ext}`, afterCreate);
      // The client reads our entry and every key the user had, in the user's order, ours after.
      const entries = client.readEntries(client.parse(await fx.read(c.file), c.file));
      assert.ok(entries.memory, 'our entry is there');
      // (An empty `[mcp_servers]` header said nothing and is gone, so it has no place to keep.)
      const userData = data(before, toml);
      const keysBefore = Object.keys(userData).filter(
        (k) => !(k === 'mcp_servers' && Object.keys(userData[k] as object).length === 0),
      );
      assert.deepEqual(Object.keys(data(afterCreate, toml)).slice(0, keysBefore.length), keysBefore);
      assert.doesNotMatch(afterCreate, /^\s*\[mcp_servers\]\s*$/m, 'no bare [mcp_servers] header');
      assert.doesNotMatch(
        afterCreate,
        /"[^"\n]*":[ \t]*\{[ \t]*"[^"\n]*":[ \t]*\{/,
        'no `"a": {"b": {` line',
      );

      const deleted = await provider.apply(fx.ctx, change('delete', 'memory'));
      assert.equal(deleted.outcome, 'applied', deleted.message);
      const afterDelete = await fx.read(c.file);
      golden(name, `after-delete.${ext}`, afterDelete);
      if (c.restored) assert.equal(afterDelete, before, 'the delete gives back the file as it was');
      assert.doesNotMatch(afterDelete, /^\s*\[mcp_servers\]\s*$/m, 'no header left standing alone');

      const beside = (await listFiles(fx.home)).filter((f) => !f.startsWith('.local/state/mcp-gitops/'));
      assert.deepEqual(beside, [c.file], 'nothing but the file itself outside the state folder');
    });
  }
});
