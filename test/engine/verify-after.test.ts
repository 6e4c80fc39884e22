/**
 * A target that only registers servers (client configs) is verified after the environment's
 * targets that run the same servers are applied: the quickstart's laptop entry for `everything`
 * points at the process the `services` target starts, and verifying it first only raced that
 * target's install against the health timeout. Targets that share no server, and targets that run
 * servers, are still verified as soon as their own changes are done. (Engine unit test: in-memory
 * providers, the engine's own loop; verifyAfter is pure.)
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Change, Plan } from '../../src/core/plan.js';
import type { ChangeResult } from '../../src/core/report.js';
import { createEffects } from '../../src/engine/effects.js';
import { runLoop } from '../../src/engine/run-loop.js';
import { sessionKey } from '../../src/engine/target-session.js';
import { verifyAfter } from '../../src/engine/verify-after.js';
import { LocalHost } from '../../src/hosts/local-host.js';
import { createLogger } from '../../src/log/logger.js';
import type { Endpoint, ProviderContext } from '../../src/providers/types.js';
import type { VerifyHealth } from '../../src/verify/verify-server.js';
import { desiredState, server } from '../helpers/desired-state.js';
import { fakeVerify, MemoryProvider } from '../helpers/memory-provider.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-verify-after-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

/** Runs servers; applies on target "services" wait until `release` (or 3 s). */
class RunningProvider extends MemoryProvider {
  release!: () => void;
  readonly released = new Promise<void>((resolve) => {
    this.release = resolve;
  });
  constructor(readonly log: string[]) {
    super();
  }
  override async apply(ctx: ProviderContext, change: Change): Promise<ChangeResult> {
    if (ctx.target.name === 'services') await Promise.race([this.released, sleep(3000)]);
    const result = await super.apply(ctx, change);
    this.log.push(`applied ${ctx.target.name}/${change.server}`);
    return result;
  }
}

/** Registers servers only, as client-config does. */
class RegisteringProvider extends MemoryProvider {
  readonly registersOnly = true;
  constructor(readonly log: string[]) {
    super();
  }
  override async apply(ctx: ProviderContext, change: Change): Promise<ChangeResult> {
    const result = await super.apply(ctx, change);
    this.log.push(`applied ${ctx.target.name}/${change.server}`);
    return result;
  }
}

async function run(laptopServers: string[]) {
  const log: string[] = [];
  const running = new RunningProvider(log);
  const registering = new RegisteringProvider(log);
  const desired = desiredState({
    laptop: laptopServers.map((n) => server(n)),
    services: [server('everything')],
  });
  const [laptop, services] = desired.environments[0]!.targets;
  laptop!.provider = 'registers';
  services!.provider = 'runs';
  // Different hosts: applied at once, so only the verification order is under test.
  laptop!.host = 'ssh://me@laptop.internal';
  services!.host = 'ssh://deploy@services.internal';
  const out = await runLoop({
    desired,
    deps: {
      provider: (id: string) => (id === 'registers' ? registering : running),
      createHost: () => new LocalHost({ home: root }),
      verify: async (endpoint: Endpoint, health: VerifyHealth) => {
        const url = endpoint.kind === 'http' ? endpoint.url.replace(/^memory:\/\/|\?.*$/g, '') : '';
        log.push(`verify ${url}`);
        // The laptop's own verification is what lets the slow target go on, when it comes first.
        if (url.startsWith('laptop/')) running.release();
        return fakeVerify(endpoint, health);
      },
      secrets: { resolve: async (ref) => `value-of-${ref}` },
      logger: createLogger({ level: 'silent' }),
    },
    effects: createEffects(false),
    root,
  });
  const at = (step: string) => {
    const i = log.indexOf(step);
    assert.ok(i >= 0, `${step} in ${log.join(', ')}`);
    return i;
  };
  return { out, log, at };
}

test('a registering target that carries a served server is verified after the serving target is applied', async () => {
  const { out, log, at } = await run(['everything']);
  assert.ok(at('applied services/everything') < at('verify laptop/everything'), log.join(', '));
  assert.deepEqual(
    out.targets.map((t) => [t.target, t.verified.get('everything')?.health]),
    [
      ['laptop', 'healthy'],
      ['services', 'healthy'],
    ],
  );
});

test('a registering target that shares no server with the others is verified at once', async () => {
  const { log, at } = await run(['memory']);
  assert.ok(at('verify laptop/memory') < at('applied services/everything'), log.join(', '));
});

test('verifyAfter: only registering targets wait, only for runners of the same servers in their environment', () => {
  const change = (server: string, action: Change['action'] = 'create', skipApply = false): Change =>
    ({
      server,
      action,
      reason: 'missing',
      diffs: [],
      ...(skipApply ? { skipApply } : {}),
    }) as unknown as Change;
  const target = (environment: string, name: string, provider: string, changes: Change[]) =>
    ({ environment, target: name, provider, host: 'local', changes }) as unknown as Plan['targets'][number];
  const laptop = target('dev', 'laptop', 'client-config', [change('a'), change('b', 'noop')]);
  const plan = {
    targets: [
      laptop,
      target('dev', 'services', 'process', [change('a', 'update')]),
      target('dev', 'other', 'process', [change('b')]), // b is a noop on the laptop
      target('dev', 'drifted', 'container', [change('a', 'update', true)]), // not applied
      target('dev', 'desk', 'client-config', [change('a')]), // registers too
      target('prod', 'services', 'process', [change('a')]), // another environment
    ],
  };
  const registersOnly = (t: Plan['targets'][number]) => t.provider === 'client-config';
  assert.deepEqual(verifyAfter(plan, laptop, registersOnly), [sessionKey('dev', 'services')]);
  assert.deepEqual(verifyAfter(plan, plan.targets[1]!, registersOnly), []);
});
