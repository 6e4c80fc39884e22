/**
 * A run's creates on a local process target are made several at once (process-batch.ts through
 * the engine's apply-target.ts), and nothing else changes: `dependsOn` still holds — a server
 * starts only after the server it depends on was started, and the dependents of a server that
 * failed are skipped with the engine's reason, never touched — each "created" line comes after its
 * server's supervisor start returned, and the message of the change whose housekeeping removed an
 * old install still names it. Real starts under start-stop-daemon on the local host; the host
 * records when each server directory is made and each supervisor start returns.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { TargetPlan } from '../../../src/core/plan.js';
import type { DesiredServer } from '../../../src/core/state.js';
import type { ApplyInput } from '../../../src/engine/apply-plan.js';
import { applyTarget } from '../../../src/engine/apply-target.js';
import { createEffects } from '../../../src/engine/effects.js';
import { LocalHost } from '../../../src/hosts/local-host.js';
import type { ExecOptions, ExecResult } from '../../../src/hosts/types.js';
import { processProvider } from '../../../src/providers/process/index.js';
import { IN_FLIGHT_LOCAL } from '../../../src/providers/process/process-batch.js';
import { isProcessAlive, waitFor } from '../../helpers/mcp-servers.js';
import { requireTools } from '../../helpers/require-tools.js';
import { change, desiredServer, httpServerHome, pidOf, processContext, serverDir } from './fixtures.js';

requireTools('start-stop-daemon');

/** The local host, recording in `events` each server directory made and each supervisor start done. */
class RecordingHost extends LocalHost {
  starting = 0;
  maxStarting = 0;

  constructor(
    home: string,
    readonly events: string[],
  ) {
    super({ home });
  }

  override async mkdir(p: string, mode?: number): Promise<void> {
    const server = /\/servers\/dev\/([^/]+)$/.exec(p)?.[1];
    if (server) this.events.push(`mkdir ${server}`);
    return super.mkdir(p, mode);
  }

  override async exec(command: string, args: readonly string[], options?: ExecOptions): Promise<ExecResult> {
    const pidfile = args.includes('--start') ? args[args.indexOf('--pidfile') + 1] : undefined;
    const server = pidfile && /\/servers\/dev\/([^/]+)\/pid$/.exec(pidfile)?.[1];
    if (!server) return super.exec(command, args, options);
    this.maxStarting = Math.max(this.maxStarting, ++this.starting);
    try {
      return await super.exec(command, args, options);
    } finally {
      this.starting--;
      this.events.push(`started ${server}`);
    }
  }
}

describe('process provider: a run starts several servers at once, dependencies first', () => {
  test('dependents wait and are skipped after a failure; "created" comes after the start', async (t) => {
    const servers: DesiredServer[] = [];
    const { home, baseDir, script, spec } = await httpServerHome(t, servers);
    // An install no server uses: the housekeeping after the first start removes it, and says so.
    const old = join(baseDir, 'packages', '@example', 'old@1.0.0');
    mkdirSync(old, { recursive: true });
    writeFileSync(join(old, '.mcp-gitops-installed'), '@example/old@1.0.0\n');
    servers.push(
      desiredServer('base', await spec()),
      desiredServer('needs-base', await spec(['base'])),
      // No port: its apply fails (prepareLaunch).
      desiredServer('broken', { command: { path: process.execPath, args: [script] }, transport: 'sse' }),
      desiredServer('needs-broken', await spec(['broken'])),
      desiredServer('needs-needs-broken', await spec(['needs-broken'])),
      ...(await Promise.all(['a', 'b', 'c', 'd', 'e', 'f'].map(async (n) => desiredServer(n, await spec())))),
    );
    const events: string[] = [];
    const host = new RecordingHost(home, events);
    const ctx = { ...processContext({ home, settings: { baseDir }, servers }), host };
    const target: TargetPlan = {
      environment: 'dev',
      target: 'procs',
      provider: 'process',
      host: 'local',
      changes: servers.map((s) => change('create', s.name, s)),
    };
    const input = {
      effects: createEffects(false),
      deps: {
        logger: ctx.logger,
        progress: (e: { where: string; text: string }) => events.push(`${e.where}: ${e.text}`),
      },
    } as unknown as ApplyInput;

    const results = await applyTarget(
      target,
      { environment: ctx.environment, target: ctx.target, provider: processProvider, ctx },
      undefined,
      input,
    );
    const byServer = new Map(results.map((r) => [r.server, r]));
    const log = events.join('\n');

    assert.deepEqual(
      results.map((r) => r.server),
      servers.map((s) => s.name),
      'one result per change, in plan order',
    );
    assert.equal(byServer.get('broken')?.outcome, 'failed');
    assert.match(byServer.get('broken')?.message ?? '', /server "broken" has no port/);
    assert.deepEqual(
      ['needs-broken', 'needs-needs-broken'].map((n) => [byServer.get(n)?.outcome, byServer.get(n)?.message]),
      [
        ['skipped', 'dependency "broken" failed'],
        ['skipped', 'dependency "needs-broken" failed'],
      ],
    );
    for (const name of ['needs-broken', 'needs-needs-broken'])
      assert.equal(existsSync(serverDir(baseDir, name)), false, `${name} is never touched`);

    const at = (event: string) => events.indexOf(event);
    assert.ok(
      at('started base') >= 0 && at('started base') < at('mkdir needs-base'),
      `needs-base is set up only after base was started:\n${log}`,
    );
    assert.ok(
      host.maxStarting > 1 && host.maxStarting <= IN_FLIGHT_LOCAL,
      `starts overlap, at most ${IN_FLIGHT_LOCAL} at once (saw ${host.maxStarting})`,
    );

    const started = servers.filter((s) => byServer.get(s.name)?.outcome === 'applied');
    assert.deepEqual(
      started.map((s) => s.name),
      ['base', 'needs-base', 'a', 'b', 'c', 'd', 'e', 'f'],
    );
    const cleaned = started.filter((s) => byServer.get(s.name)?.message?.includes('removed old installs'));
    assert.equal(cleaned.length, 1, 'one change removed the old install, and says so');
    for (const s of started) {
      assert.match(
        byServer.get(s.name)?.message ?? '',
        /^started .+ on 127\.0\.0\.1:\d+ \(start-stop-daemon\)(; removed old installs: @example\/old@1\.0\.0)?$/,
      );
      assert.ok(
        at(`started ${s.name}`) >= 0 && at(`started ${s.name}`) < at(`dev/procs/${s.name}: created`),
        `${s.name}: "created" after its start returned:\n${log}`,
      );
      const pid = await waitFor(() => pidOf(baseDir, s.name), { timeoutMs: 10_000 });
      assert.ok(isProcessAlive(pid), `${s.name} runs`);
    }
    assert.equal(existsSync(old), false);
  });
});
