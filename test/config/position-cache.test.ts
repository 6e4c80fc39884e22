/**
 * One PositionCache per loaded config keeps the positions of long files and only the most recent
 * of the short ones: a file whose positions were dropped must locate exactly as before, and a file
 * read first then located after hundreds of others must still answer with its own positions.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  FileLocator,
  KEEP_POSITIONS_CHARS,
  PositionCache,
  RECENT_POSITIONS_CHARS,
} from '../../src/config/locate-node.js';

function serverText(i: number, pad = 0): string {
  return `apiVersion: mcp-gitops/v1\nkind: Server\nmetadata: { name: s-${i} }\n${'#'.repeat(pad)}\nspec:\n${'  # filler\n'.repeat(i % 7)}  secrets:\n    - name: A\n      ref: "env:S_${i}"\n`;
}

describe('position cache', () => {
  test('short files dropped from the cache and located again answer as yaml does', () => {
    const cache = new PositionCache();
    const count = Math.ceil((3 * RECENT_POSITIONS_CHARS) / serverText(0, 900).length);
    const locators = Array.from(
      { length: count },
      (_, i) => new FileLocator(`servers/s-${i}.yaml`, serverText(i, 900), cache),
    );
    const path = ['spec', 'secrets', 0, 'ref'];
    // Twice round: the second pass finds every file's positions dropped by the later ones.
    for (let round = 0; round < 2; round++) {
      for (const locator of locators) {
        assert.deepEqual(locator.locate(0, path, 'value'), locator.locateWithYaml(0, path, 'value'));
      }
    }
    const first = locators[0] as FileLocator;
    assert.deepEqual(first.locate(0, path, 'value'), { file: 'servers/s-0.yaml', line: 8, col: 12 });
  });

  test('a long file keeps answering between short ones', () => {
    const cache = new PositionCache();
    const entries = Array.from(
      { length: Math.ceil(KEEP_POSITIONS_CHARS / 10) },
      (_, i) => `    - name: s-${i}\n`,
    );
    const long = new FileLocator(
      'environments/dev.yaml',
      `apiVersion: mcp-gitops/v1\nkind: Environment\nmetadata: { name: dev }\nspec:\n  servers:\n${entries.join('')}`,
      cache,
    );
    assert.ok(long.size >= KEEP_POSITIONS_CHARS);
    for (let i = 0; i < 600; i++) {
      const short = new FileLocator(`servers/s-${i}.yaml`, serverText(i, 900), cache);
      short.locate(0, ['spec'], 'key');
      const at = i % entries.length;
      assert.deepEqual(long.locate(0, ['spec', 'servers', at, 'name'], 'value'), {
        file: 'environments/dev.yaml',
        line: 6 + at,
        col: 13,
      });
    }
  });
});
