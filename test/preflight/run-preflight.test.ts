/**
 * Preflight against real hosts and a real secret resolver: which changes are checked (only what
 * apply would do), programs looked up on the target's host (an absolute path, a `~/` path under
 * the target's home), each distinct probe once, a host that never answers bounded in time, and
 * unreachable targets as warnings, a big plan's checks run a bounded number at a time with their
 * warnings in the plan's order. The plan is built by the real planner.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import type { ObservedTarget } from '../../src/core/state.js';
import { LocalHost } from '../../src/hosts/local-host.js';
import type { Host } from '../../src/hosts/types.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import { PREFLIGHT_CONCURRENCY, runPreflight } from '../../src/preflight/run-preflight.js';
import { createSecretResolver } from '../../src/secrets/resolve-secret.js';
import { desiredState, server } from '../helpers/desired-state.js';

const CANARY = 'h4-preflight-canary-0b9e3f6a12';
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-preflight-'));
after(() => fs.rmSync(home, { recursive: true, force: true }));
fs.mkdirSync(path.join(home, 'bin'));
fs.writeFileSync(path.join(home, 'bin', 'tool'), '#!/bin/sh\n', { mode: 0o755 });

const secrets = createSecretResolver({ repoRoot: home, home, env: { SET: CANARY } });
const renderers = () => ({ render: () => ({}) });

function plan(observed: Partial<ObservedTarget> = {}) {
  const desired = desiredState(
    {
      laptop: [
        server('ok', { command: { path: process.execPath }, secrets: [{ name: 'A', ref: 'env:SET' }] }),
        server('home-tool', { command: { path: '~/bin/tool' } }),
        server('gone', {
          command: { path: '/nonexistent/bin/gone' },
          secrets: [{ name: 'B', ref: 'env:UNSET' }],
        }),
        server('twice', {
          command: { path: '/nonexistent/bin/gone' },
          secrets: [{ name: 'C', ref: 'env:UNSET' }],
        }),
        server('relative', { command: { path: './bin/x' } }),
      ],
    },
    { provider: 'client-config' },
  );
  return buildPlan({
    desired,
    observed: [{ environment: 'dev', target: 'laptop', reachable: true, servers: [], ...observed }],
    renderers,
  });
}

describe('runPreflight', () => {
  test('checks what apply would create: missing programs and unresolvable secrets, each probed once', async () => {
    const host = new LocalHost({ home });
    let lookups = 0;
    const counting: Host = Object.assign(Object.create(host) as Host, {
      which: (p: string) => {
        lookups++;
        return host.which(p);
      },
    });
    const warnings = await runPreflight({ plan: plan(), hostOf: () => counting, secrets });
    assert.deepEqual(warnings.map((w) => `${w.code} ${w.server}: ${w.message}`).sort(), [
      'runtime-missing gone: /nonexistent/bin/gone is not an executable file on local: its clients launch this command',
      'runtime-missing twice: /nonexistent/bin/gone is not an executable file on local: its clients launch this command',
      'secret-unresolved gone: secret B (env:UNSET) does not resolve: environment variable UNSET is not set',
      'secret-unresolved twice: secret C (env:UNSET) does not resolve: environment variable UNSET is not set',
    ]);
    assert.equal(
      lookups,
      3,
      'node, ~/bin/tool and /nonexistent/bin/gone, once each (a relative path is not looked up)',
    );
    assert.equal(JSON.stringify(warnings).includes(CANARY), false);
  });

  test('servers apply leaves alone are not checked; a target that did not answer is a warning', async () => {
    const same = plan().targets[0]!.changes.map((c) => ({
      name: c.server,
      spec: c.desired!.spec,
      specHash: c.desired!.specHash,
    }));
    const inSync = await runPreflight({
      plan: plan({ servers: same }),
      hostOf: () => new LocalHost({ home }),
      secrets,
    });
    assert.deepEqual(inSync, []);
    const down = await runPreflight({
      plan: plan({ reachable: false, reason: 'ssh: connect to host vm port 22: Connection refused' }),
      hostOf: () => undefined,
      secrets,
    });
    assert.deepEqual(
      down.map((w) => [w.code, w.target, w.server, w.message]),
      [
        [
          'target-unreachable',
          'laptop',
          undefined,
          'the target could not be observed: ssh: connect to host vm port 22: Connection refused',
        ],
      ],
    );
  });

  test('a host that never answers is bounded: the check says it could not be made', async () => {
    const silent: Host = Object.assign(Object.create(new LocalHost({ home })) as Host, {
      which: () => new Promise<string | undefined>(() => undefined),
    });
    const started = Date.now();
    const warnings = await runPreflight({ plan: plan(), hostOf: () => silent, secrets, timeoutMs: 300 });
    assert.ok(Date.now() - started < 5_000, 'bounded');
    const unchecked = warnings.filter((w) => w.code === 'runtime-unchecked').map((w) => w.server);
    assert.deepEqual(unchecked.sort(), ['gone', 'home-tool', 'ok', 'twice']);
    assert.match(
      warnings.find((w) => w.server === 'ok')!.message,
      /^could not check for .+ on local: no answer within 0.3 s$/,
    );
  });

  test('a big plan runs a bounded number of checks at once, its warnings in the order of the plan', async () => {
    const count = PREFLIGHT_CONCURRENCY * 3 + 5;
    const names = Array.from({ length: count }, (_, i) => `s-${String(i).padStart(4, '0')}`);
    const desired = desiredState(
      { laptop: names.map((n) => server(n, { secrets: [{ name: 'T', ref: `env:UNSET_${n}` }] })) },
      { provider: 'client-config' },
    );
    const big = buildPlan({
      desired,
      observed: [{ environment: 'dev', target: 'laptop', reachable: true, servers: [] }],
      renderers,
    });
    let running = 0;
    let most = 0;
    const counting = {
      ...secrets,
      resolve: secrets.resolve.bind(secrets),
      check: async (ref: string) => {
        running++;
        most = Math.max(most, running);
        // Answer on a later turn of the event loop, so that unbounded checks would overlap.
        await new Promise((resolve) => setImmediate(resolve));
        running--;
        return secrets.check?.(ref);
      },
    };
    const warnings = await runPreflight({
      plan: big,
      hostOf: () => new LocalHost({ home }),
      secrets: counting,
    });
    assert.equal(most, PREFLIGHT_CONCURRENCY);
    assert.deepEqual(
      warnings.filter((w) => w.code === 'secret-unresolved').map((w) => w.server),
      big.targets[0]!.changes.filter((c) => c.action === 'create').map((c) => c.server),
    );
    assert.equal(warnings.filter((w) => w.code === 'secret-unresolved').length, count);
  });
});
