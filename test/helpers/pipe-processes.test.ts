/**
 * `producer | consumer` never waits on a side that is gone: a consumer that cannot start or exits
 * before reading, a failing producer, or the time limit ends the pipe at once with that error,
 * and the other side (here `yes`, which would write forever) is gone when it does.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { tempDir } from './mcp-servers.js';
import { pipeProcesses } from './pipe-processes.js';

/** A producer that never stops on its own: it writes until its reader is gone. */
const endless = { command: 'yes', args: [] };

/** `yes` processes this test process started and still has (esbuild, tsx's own child, is not one). */
function yesLeftBehind(): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid && stat.includes(' (yes) ')) found.push(Number(entry));
    } catch {
      // Exited while listing.
    }
  }
  return found;
}

describe('pipeProcesses', { timeout: 10_000 }, () => {
  test('streams the producer into the consumer and resolves when both succeed', async (t) => {
    const dir = await tempDir(t);
    const out = join(dir, 'out');
    await pipeProcesses(
      { command: 'printf', args: ['hello'] },
      { command: 'sh', args: ['-c', `cat > '${out}'`] },
      5000,
    );
    assert.equal(await readFile(out, 'utf8'), 'hello');
  });

  test('a consumer that cannot start ends the pipe at once with its spawn error; the producer is killed', async () => {
    await assert.rejects(
      pipeProcesses(endless, { command: 'mcp-gitops-no-such-command', args: [] }, 60_000),
      /^Error: mcp-gitops-no-such-command could not run: spawn mcp-gitops-no-such-command ENOENT$/,
    );
    assert.deepEqual(yesLeftBehind(), []);
  });

  test('a consumer that exits before reading ends the pipe with its exit code and stderr', async () => {
    await assert.rejects(
      pipeProcesses(endless, { command: 'sh', args: ['-c', 'echo refused >&2; exit 3'] }, 60_000),
      /^Error: sh exited with 3: refused$/,
    );
    assert.deepEqual(yesLeftBehind(), []);
  });

  test('a producer that fails ends the pipe with its error', async () => {
    await assert.rejects(
      pipeProcesses(
        { command: 'tar', args: ['-C', '/nonexistent-mcp-gitops', '-cf', '-', '.'] },
        { command: 'cat', args: [] },
        60_000,
      ),
      /^Error: tar exited with 2: tar: \/nonexistent-mcp-gitops: Cannot open/,
    );
  });

  test('a pipe that runs past its time limit is killed and says so', async () => {
    await assert.rejects(
      pipeProcesses(endless, { command: 'sleep', args: ['30'] }, 300),
      /^Error: yes \| sleep did not finish within 300 ms$/,
    );
    assert.deepEqual(yesLeftBehind(), []);
  });
});
