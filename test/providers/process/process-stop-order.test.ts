/**
 * A pidfile names the launcher of a server that may answer: when a launcher was killed and its
 * server lingers (here one that ignores SIGINT, so its orphan guard takes 5 s), repairing it stops
 * that server before the pidfile goes — for start-stop-daemon and the launcher's own pidfile
 * supervisor. Serve's steady loop on process targets once saw the server answer while its pidfile
 * was missing: the stale pidfile was removed first and the lingering server stopped afterwards.
 */
import assert from 'node:assert/strict';
import { existsSync, type FSWatcher, watch, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { processProvider } from '../../../src/providers/process/index.js';
import { freePort, isProcessAlive, tempDir, waitFor } from '../../helpers/mcp-servers.js';
import { requireTools } from '../../helpers/require-tools.js';
import {
  change,
  childPidOf,
  desiredServer,
  killServer,
  pidOf,
  processContext,
  serverDir,
} from './fixtures.js';

requireTools('start-stop-daemon');

/** An HTTP server that ignores SIGINT: orphaned, it lives until its guard's exit 5 s later. */
const STUBBORN = `import http from 'node:http';
process.on('SIGINT', () => {});
http.createServer((req, res) => res.end('up')).listen(Number(process.env.PORT), '127.0.0.1');
`;

const answers = async (port: number) => {
  try {
    return (await fetch(`http://127.0.0.1:${port}/`)).ok;
  } catch {
    return false;
  }
};

describe('process provider: a lingering server is stopped before its pidfile goes', () => {
  const cleanups: (() => unknown)[] = [];
  after(async () => {
    for (const fn of cleanups.reverse()) await fn();
  });

  for (const supervisor of ['start-stop-daemon', 'pidfile'] as const) {
    test(`${supervisor}: repairing a killed launcher`, async () => {
      const home = await tempDir({ after: (fn) => cleanups.push(fn) });
      const baseDir = join(home, 'mcp');
      cleanups.push(() => killServer(baseDir, 'stubborn'));
      const script = join(home, 'stubborn.mjs');
      writeFileSync(script, STUBBORN);
      const port = await freePort();
      const server = desiredServer('stubborn', {
        command: { path: script },
        transport: 'streamable-http',
        port,
        env: { PORT: String(port) },
      });
      const ctx = processContext({ home, settings: { baseDir, supervisor }, servers: [server] });
      const created = await processProvider.apply(ctx, change('create', 'stubborn', server));
      assert.equal(created.outcome, 'applied', created.message);
      await waitFor(() => answers(port), { timeoutMs: 20_000, what: 'the server to answer' });

      const launcher = pidOf(baseDir, 'stubborn')!;
      const orphan = childPidOf(baseDir, 'stubborn')!;
      process.kill(launcher, 'SIGKILL');
      await waitFor(() => !isProcessAlive(launcher), { timeoutMs: 5000, what: 'the launcher to die' });
      assert.ok(await answers(port), 'the orphaned server still answers');

      // Every change in the server directory: is the pidfile gone while the orphan lives?
      const pidfile = join(serverDir(baseDir, 'stubborn'), 'pid');
      const seen: string[] = [];
      const check = () => {
        if (seen.length === 0 && !existsSync(pidfile) && isProcessAlive(orphan))
          seen.push('pidfile missing, orphan alive');
      };
      const watcher: FSWatcher = watch(serverDir(baseDir, 'stubborn'), check);
      const poll = setInterval(check, 1);
      try {
        const repaired = await processProvider.apply(ctx, change('update', 'stubborn', server));
        assert.equal(repaired.outcome, 'applied', repaired.message);
      } finally {
        watcher.close();
        clearInterval(poll);
      }
      assert.deepEqual(seen, []);
      assert.equal(isProcessAlive(orphan), false, 'the orphan was stopped by the repair');
      await waitFor(() => answers(port), { timeoutMs: 20_000, what: 'the new server to answer' });
      assert.notEqual(pidOf(baseDir, 'stubborn'), launcher);
      assert.equal((await processProvider.apply(ctx, change('delete', 'stubborn'))).outcome, 'applied');
    });
  }
});
