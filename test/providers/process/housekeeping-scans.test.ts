/**
 * The housekeepings of one batch share what they looked at (housekeeping.ts, process-batch.ts):
 * the script skips a server directory an earlier housekeeping of the batch looked into, until a
 * temporary file it left there turns stale, and says when that is; through a real batch of starts
 * (pidfile supervisor, local host), a temporary file that turns stale between two starts is
 * removed by the later one and named in its message, and a directory already looked into is not
 * read again by the batch (the next run's batch does).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DesiredServer } from '../../../src/core/state.js';
import { HOUSEKEEPING_SCRIPT } from '../../../src/providers/process/housekeeping-script.js';
import { openProcessBatch } from '../../../src/providers/process/process-batch.js';
import { runInProcess } from '../../../src/providers/process/run-host-script.js';
import { tempDir } from '../../helpers/mcp-servers.js';
import { change, desiredServer, httpServerHome, processContext, serverDir } from './fixtures.js';

const STALE_MS = 10 * 60_000;
const HOUR_AGO = new Date(Date.now() - 3600_000);

/** A temporary file of an interrupted atomic write, last modified at `at`. */
function tempFile(dir: string, name: string, at: Date): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, name);
  writeFileSync(file, '{}');
  utimesSync(file, at, at);
  return file;
}

describe('process housekeeping: a batch looks into each server directory once', () => {
  test('the script skips what was looked at, until a file left there turns stale', async (t) => {
    const base = await tempDir(t);
    const dir = (name: string) => join(base, 'servers', 'dev', name);
    const skipped = tempFile(dir('a'), '.spec.json.1.0a.tmp', HOUR_AGO);
    const stale = tempFile(dir('b'), '.spec.json.2.0b.tmp', HOUR_AGO);
    const youngAt = new Date(Date.now() - STALE_MS + 60_000);
    const young = tempFile(dir('c'), '.spec.json.3.0c.tmp', youngAt);
    const run = (scanned: Record<string, number | null>) => {
      const result = runInProcess(process.execPath, HOUSEKEEPING_SCRIPT, [
        base,
        '1',
        '[]',
        String(STALE_MS),
        JSON.stringify(scanned),
      ]);
      assert.equal(result.exitCode, 0, result.stderr);
      return JSON.parse(result.stdout) as { files: string[]; scanned: Record<string, number | null> };
    };

    const first = run({ 'servers/dev/a': null, 'servers/dev/c': Date.now() + 60_000 });
    assert.deepEqual(first.files, [stale]);
    assert.equal(existsSync(skipped), true, 'a directory looked into before is skipped');
    assert.deepEqual(first.scanned, { 'servers/dev/b': null, lib: null });

    // c's revisit time has passed: it is looked into again; its file is young, and says when it turns stale.
    const second = run({ 'servers/dev/a': null, 'servers/dev/b': null, 'servers/dev/c': Date.now() - 1 });
    assert.deepEqual(second.files, []);
    assert.equal(existsSync(young), true);
    assert.deepEqual(second.scanned, { 'servers/dev/c': statSync(young).mtimeMs + STALE_MS, lib: null });
  });

  test('in a batch, a file turning stale between starts goes with the later one; a looked-at directory is not read again', async (t) => {
    const servers: DesiredServer[] = [];
    const { home, baseDir, spec } = await httpServerHome(t, servers);
    servers.push(desiredServer('x', await spec()), desiredServer('y', await spec()));
    // Left by an interrupted write in a server directory of an earlier run; stale 1.5 s from now.
    const turning = tempFile(
      serverDir(baseDir, 'old'),
      '.spec.json.4242.0123abcd.tmp',
      new Date(Date.now() - STALE_MS + 1500),
    );
    const ctx = processContext({ home, settings: { baseDir, supervisor: 'pidfile' }, servers });
    const batch = openProcessBatch(ctx);

    const x = await batch.apply(change('create', 'x', servers[0]));
    assert.equal(x.outcome, 'applied', x.message);
    assert.doesNotMatch(x.message ?? '', /removed/);
    assert.equal(existsSync(turning), true, 'young when x started');
    // x's directory was looked into by x's housekeeping: a stale file appearing there now stays
    // until a later run (a batch reads each directory once).
    const unread = tempFile(serverDir(baseDir, 'x'), '.env.4243.0456abcd.tmp', HOUR_AGO);
    await sleep(2000);

    const y = await batch.apply(change('create', 'y', servers[1]));
    assert.equal(y.outcome, 'applied', y.message);
    assert.match(y.message ?? '', new RegExp(`; removed stale temporary files: ${turning}$`));
    assert.equal(existsSync(turning), false);
    assert.equal(existsSync(unread), true, "x's directory was not read again");
    assert.deepEqual(await batch.commit(), new Map());

    // The next run's batch looks into every directory again.
    const next = openProcessBatch(ctx);
    const z = await next.apply(change('update', 'y', servers[1]));
    assert.match(z.message ?? '', new RegExp(`; removed stale temporary files: ${unread}$`));
    assert.equal(existsSync(unread), false);
  });
});
