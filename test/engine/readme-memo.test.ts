/**
 * The READMEs' memo (src/engine/readme-memo.ts) on a real repository's git dir: a README is
 * "rendered before" only for the same build, the same name and the same report texts (in any
 * order given), and only when it is byte for byte the README remembered; the file is 0600, holds
 * hashes only, keeps at most MAX_KEYS keys, and a damaged or foreign file is an empty memo.
 * The built CLI's use of it (no rendering, no handlebars, on a no-op reconcile; a hand-edited
 * README rendered again) is in test/cli/command-modules.test.ts.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { MAX_KEYS, MAX_MEMO_BYTES, openReadmeMemo } from '../../src/engine/readme-memo.js';
import { createTempRepo, type TempRepo } from '../helpers/temp-repo.js';

const BUILD = 'a'.repeat(64);
const REPORTS = [
  ['reports/dev/laptop.json', '{"kind":"TargetReport","target":"laptop"}\n'],
  ['reports/dev/vm.json', '{"kind":"TargetReport","target":"vm"}\n'],
] as const;
const README = '# Environment `dev`\n\n| server | laptop |\n';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

let repo: TempRepo;
const memoFile = () => path.join(repo.dir, '.git', 'mcp-gitops', 'readme-memo', 'readmes.v8');

describe('README memo', () => {
  beforeEach(() => {
    repo = createTempRepo('mcp-gitops-readme-memo-');
    repo.write('a.txt', 'a\n');
    repo.commitAll('init');
  });
  afterEach(() => repo.cleanup());

  test('remembers a README per build, name and report texts, across processes', () => {
    const memo = openReadmeMemo(repo.dir, BUILD);
    assert.ok(memo);
    const key = memo.key('dev', REPORTS);
    assert.equal(memo.rendered(key, README), false, 'nothing remembered yet');
    memo.remember(key, README);
    memo.save();
    const mode = fs.statSync(memoFile()).mode & 0o777;
    assert.equal(mode, 0o600);
    assert.doesNotMatch(fs.readFileSync(memoFile(), 'utf8'), /TargetReport|Environment/, 'hashes only');

    const again = openReadmeMemo(repo.dir, BUILD);
    assert.ok(again);
    assert.equal(
      again.key('dev', [...REPORTS].reverse()),
      key,
      'the order reports are given in does not matter',
    );
    assert.equal(again.rendered(key, README), true);
    assert.equal(again.rendered(key, `${README}edited\n`), false, 'another README is not the one rendered');
    assert.notEqual(again.key('prod', REPORTS), key);
    assert.notEqual(again.key('dev', [REPORTS[0], [REPORTS[1][0], `${REPORTS[1][1]} `]]), key);
    assert.notEqual(again.key('dev', [REPORTS[0]]), key);
    // The same texts under other paths, or a path moved into the text, make another key.
    assert.notEqual(again.key('dev', [['reports/dev/laptop.jso', `n${REPORTS[0][1]}`], REPORTS[1]]), key);

    const otherBuild = openReadmeMemo(repo.dir, 'b'.repeat(64));
    assert.ok(otherBuild);
    assert.equal(otherBuild.rendered(otherBuild.key('dev', REPORTS), README), false, 'another build renders');
  });

  test('no build (sources, or the cache turned off): no memo', () => {
    assert.equal(openReadmeMemo(repo.dir, undefined), undefined);
    assert.equal(
      openReadmeMemo(repo.dir),
      undefined,
      'run from the sources there are no precompiled templates',
    );
  });

  test('a damaged, foreign or oversized file is an empty memo, and is replaced', () => {
    const memo = openReadmeMemo(repo.dir, BUILD);
    assert.ok(memo);
    const key = memo.key('dev', REPORTS);
    memo.remember(key, README);
    memo.save();
    for (const bad of [
      'not json',
      // Over the size a memo of MAX_KEYS keys takes: not parsed, even when it is well formed.
      JSON.stringify({
        format: 1,
        build: BUILD,
        entries: [[key, sha256(README)]],
        pad: 'x'.repeat(MAX_MEMO_BYTES),
      }),
      '{"format":1,"build":"x","entries":[]}',
      JSON.stringify({ format: 1, build: BUILD, entries: [[key, 'not a hash']] }),
      JSON.stringify({ format: 2, build: BUILD, entries: [] }),
    ]) {
      fs.writeFileSync(memoFile(), bad);
      const read = openReadmeMemo(repo.dir, BUILD);
      assert.ok(read);
      assert.equal(read.rendered(key, README), false, bad);
    }
    // A good file, but one that others can write.
    const good = openReadmeMemo(repo.dir, BUILD);
    assert.ok(good);
    good.remember(key, README);
    good.save();
    assert.equal(openReadmeMemo(repo.dir, BUILD)?.rendered(key, README), true);
    fs.chmodSync(memoFile(), 0o666);
    assert.equal(
      openReadmeMemo(repo.dir, BUILD)?.rendered(key, README),
      false,
      'a file others can write is not read',
    );
  });

  test(`keeps the ${MAX_KEYS} latest keys`, () => {
    const memo = openReadmeMemo(repo.dir, BUILD);
    assert.ok(memo);
    const keys = Array.from({ length: MAX_KEYS + 10 }, (_, i) => memo.key(`env-${i}`, REPORTS));
    for (const key of keys) memo.remember(key, README);
    memo.save();
    const read = openReadmeMemo(repo.dir, BUILD);
    assert.ok(read);
    assert.equal(read.rendered(keys[0] as string, README), false, 'the oldest went');
    assert.equal(read.rendered(keys[9] as string, README), false);
    assert.equal(read.rendered(keys[10] as string, README), true);
    assert.equal(read.rendered(keys.at(-1) as string, README), true);
  });
});
