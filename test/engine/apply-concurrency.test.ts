/**
 * Independent targets (issue 16): targets on different hosts are applied at once, and each is
 * verified as soon as its own changes are done — a slow target never delays another's
 * verification. Targets on one host still go one after another. (Engine unit test: in-memory
 * provider, the engine's own loop.)
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Change } from '../../src/core/plan.js';
import type { ChangeResult } from '../../src/core/report.js';
import { createEffects } from '../../src/engine/effects.js';
import { runLoop } from '../../src/engine/run-loop.js';
import { LocalHost } from '../../src/hosts/local-host.js';
import { createLogger } from '../../src/log/logger.js';
import type { Endpoint, ProviderContext } from '../../src/providers/types.js';
import type { VerifyHealth } from '../../src/verify/verify-server.js';
import { desiredState, server } from '../helpers/desired-state.js';
import { fakeVerify, MemoryProvider } from '../helpers/memory-provider.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-apply-conc-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

/** Applies on target "slow" wait until `release` (or 5 s); every step is logged in order. */
class SlowProvider extends MemoryProvider {
  readonly log: string[] = [];
  release!: () => void;
  readonly released = new Promise<void>((resolve) => {
    this.release = resolve;
  });

  override async apply(ctx: ProviderContext, change: Change): Promise<ChangeResult> {
    this.log.push(`apply ${ctx.target.name}/${change.server}`);
    if (ctx.target.name === 'slow') await Promise.race([this.released, sleep(5000)]);
    const result = await super.apply(ctx, change);
    this.log.push(`applied ${ctx.target.name}/${change.server}`);
    return result;
  }
}

test('a slow target does not hold up the apply or the verification of a target on another host', async () => {
  const p = new SlowProvider();
  const desired = desiredState({ slow: [server('s')], fast: [server('f')], same: [server('x')] });
  const [slow, fast, same] = desired.environments[0]!.targets;
  slow!.host = 'ssh://deploy@slow.internal';
  fast!.host = 'ssh://deploy@fast.internal';
  same!.host = 'ssh://deploy@slow.internal';
  const out = await runLoop({
    desired,
    deps: {
      provider: () => p,
      createHost: () => new LocalHost({ home: root }),
      verify: async (endpoint: Endpoint, health: VerifyHealth) => {
        const url = endpoint.kind === 'http' ? endpoint.url : '';
        p.log.push(`verify ${url.replace(/^memory:\/\/|\?.*$/g, '')}`);
        if (url.startsWith('memory://fast/')) p.release();
        return fakeVerify(endpoint, health);
      },
      secrets: { resolve: async (ref) => `value-of-${ref}` },
      logger: createLogger({ level: 'silent' }),
    },
    effects: createEffects(false),
    root,
  });
  assert.deepEqual(
    out.targets.map((t) => [
      t.target,
      t.results.map((r) => r.outcome),
      t.verified.get(t.results[0]!.server)?.health,
    ]),
    [
      ['slow', ['applied'], 'healthy'],
      ['fast', ['applied'], 'healthy'],
      ['same', ['applied'], 'healthy'],
    ],
  );
  const at = (step: string) => {
    const i = p.log.indexOf(step);
    assert.ok(i >= 0, `${step} in ${p.log.join(', ')}`);
    return i;
  };
  assert.ok(at('verify fast/f') < at('applied slow/s'), p.log.join(', '));
  // "same" shares the slow target's host: it waits for it.
  assert.ok(at('applied slow/s') < at('apply same/x'), p.log.join(', '));
});
