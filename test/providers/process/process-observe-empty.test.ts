/**
 * Observing a local process target where nothing was applied starts no child process: the
 * inventory of a missing or empty servers directory is listed in-process, and the supervisor is
 * detected with file checks where systemd is not the init system. Once a server directory exists,
 * the inventory script lists it — inside the reconciler on the local host (run-host-script.ts), so
 * no `node` child either.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { LocalHost } from '../../../src/hosts/local-host.js';
import type { ExecOptions, ExecResult } from '../../../src/hosts/types.js';
import { processProvider } from '../../../src/providers/process/index.js';
import { processContext, serverDir } from './fixtures.js';

/** The real local host, recording the programs it starts. */
class RecordingHost extends LocalHost {
  readonly started: string[] = [];
  override async exec(command: string, args: readonly string[], options?: ExecOptions): Promise<ExecResult> {
    this.started.push(path.basename(command));
    return super.exec(command, args, options);
  }
}

const systemdBooted = existsSync('/run/systemd/system');
let home: string;
before(async () => {
  home = await fs.mkdtemp(path.join(os.tmpdir(), 'mcp-gitops-observe-empty-'));
});
after(async () => {
  await fs.rm(home, { recursive: true, force: true });
});

function observeWith(baseDir: string) {
  const ctx = processContext({ home, settings: { baseDir } });
  const host = new RecordingHost({ home });
  return { host, observe: () => processProvider.observe({ ...ctx, host }) };
}

describe('process observe of an empty local target', () => {
  test('a missing base directory: reachable, no servers, no child process', async () => {
    const { host, observe } = observeWith(path.join(home, 'never-applied'));
    const observed = await observe();
    assert.equal(observed.reachable, true, observed.reason);
    assert.deepEqual(observed.servers, []);
    assert.equal(observed.facts?.baseDir, path.join(home, 'never-applied'));
    assert.ok(['systemd', 'start-stop-daemon', 'pidfile'].includes(String(observed.facts?.supervisor)));
    // Where systemd runs, `systemctl is-system-running` is still asked; nothing else ever is.
    assert.deepEqual(host.started, systemdBooted ? ['systemctl'] : []);
  });

  test('a servers directory holding no server directory: the same', async () => {
    const baseDir = path.join(home, 'emptied');
    await fs.mkdir(path.join(baseDir, 'servers', 'dev'), { recursive: true });
    await fs.writeFile(path.join(baseDir, 'servers', 'dev', 'stray-file'), 'x');
    const { host, observe } = observeWith(baseDir);
    const observed = await observe();
    assert.equal(observed.reachable, true, observed.reason);
    assert.deepEqual(observed.servers, []);
    assert.ok(!host.started.includes('node'), `started: ${host.started.join(', ')}`);
  });

  test('a server directory present: the inventory script lists it, in this process', async () => {
    const baseDir = path.join(home, 'applied');
    await fs.mkdir(serverDir(baseDir, 'memory'), { recursive: true });
    const { host, observe } = observeWith(baseDir);
    const observed = await observe();
    assert.equal(observed.reachable, true, observed.reason);
    // A directory without spec.json is no server of ours, but it was listed by the script.
    assert.deepEqual(observed.servers, []);
    assert.ok(!host.started.includes('node'), `started: ${host.started.join(', ')}`);
  });
});
