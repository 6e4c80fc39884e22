/**
 * The pure half of a pull request's plan: which targets may use the base's observation, which are
 * deferred, and what a pull request's comment may show (nothing read from a target).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TargetSpec } from '../../src/core/resources.js';
import type { DesiredState, ObservedTarget } from '../../src/core/state.js';
import { changedSettings, planAgainstBase } from '../../src/pr-plan/plan-against-base.js';
import { prMode } from '../../src/pr-plan/trust.js';
import { renderPlanMarkdown } from '../../src/render/render-plan-markdown.js';
import type { PullRequestPayload } from '../../src/serve/github-events.js';
import { desiredState, server } from '../helpers/desired-state.js';
import { MemoryProvider } from '../helpers/memory-provider.js';

const provider = new MemoryProvider();
const renderers = () => provider;

function withSettings(state: DesiredState, target: string, settings: Partial<TargetSpec>): DesiredState {
  const copy = structuredClone(state);
  const t = copy.environments[0]!.targets.find((x) => x.name === target)!;
  t.settings = { ...t.settings, ...settings };
  return copy;
}

function observedOf(
  state: DesiredState,
  extra: Record<string, Record<string, unknown>> = {},
): ObservedTarget[] {
  return state.environments[0]!.targets.map((t) => ({
    environment: 'dev',
    target: t.name,
    reachable: true,
    servers: t.servers.map((s) => ({
      name: s.name,
      spec: s.spec,
      specHash: s.specHash,
      actual: { ...provider.render(s), ...extra[s.name] },
    })),
  }));
}

describe('planAgainstBase', () => {
  const base = desiredState({ laptop: [server('memory')], vm: [server('fs')] });
  const observed = observedOf(base);

  test('an unchanged pull request plans nothing against the base observation', () => {
    const plan = planAgainstBase(
      structuredClone(base),
      { revision: 'b'.repeat(40), desired: base, observed },
      renderers,
    );
    assert.deepEqual(plan.summary, { create: 0, update: 0, delete: 0, noop: 2, drifted: 0, stalled: 0 });
    assert.equal(plan.targets.filter((t) => t.deferred).length, 0);
  });

  test('a new target is deferred with the servers it would carry; the others are planned', () => {
    const pr = structuredClone(base);
    pr.environments[0]!.targets.push({
      ...structuredClone(pr.environments[0]!.targets[0]!),
      name: 'evil',
      settings: { name: 'evil', provider: 'memory', socket: '/run/docker.sock' },
    });
    pr.environments[0]!.targets[0]!.servers.push(server('extra'));
    const plan = planAgainstBase(pr, { desired: base, observed }, renderers);
    const evil = plan.targets.find((t) => t.target === 'evil')!;
    assert.deepEqual(evil.deferred, {
      reason: 'new in this pull request: targets are observed after merge',
      servers: ['memory'],
    });
    assert.equal(evil.stalled, undefined);
    assert.equal(plan.summary.create, 1, 'extra on laptop');
    assert.equal(plan.summary.stalled, 0);
  });

  for (const [setting, value] of [
    ['identityFile', { ref: 'file:/home/attacker/key' }],
    ['acceptNewHostKey', true],
    ['socket', '/var/run/other.sock'],
    ['baseDir', '/tmp/x'],
    ['knownHosts', 'evil_known_hosts'],
  ] as const) {
    test(`a changed ${setting} defers the target instead of observing it`, () => {
      const pr = withSettings(base, 'vm', { [setting]: value } as Partial<TargetSpec>);
      const plan = planAgainstBase(pr, { desired: base, observed }, renderers);
      const vm = plan.targets.find((t) => t.target === 'vm')!;
      assert.equal(
        vm.deferred?.reason,
        `its ${setting} changes in this pull request: the target is observed after merge`,
      );
      assert.equal(vm.changes.length, 0);
    });
  }

  test('a changed host and provider are named first', () => {
    const a = base.environments[0]!.targets[1]!;
    assert.deepEqual(changedSettings(a, { ...a, host: 'ssh://root@127.0.0.1:22', provider: 'process' }), [
      'provider',
      'host',
    ]);
    assert.deepEqual(changedSettings(a, structuredClone(a)), []);
  });

  test('a target the pull request removes is retired with the base observation and the PR prune', () => {
    const pr = desiredState({ laptop: [server('memory')] }, { sync: { prune: true, maxDeletions: 5 } });
    const plan = planAgainstBase(pr, { desired: base, observed }, renderers);
    const vm = plan.targets.find((t) => t.target === 'vm')!;
    assert.equal(vm.retired?.prune, true);
    assert.deepEqual(
      vm.changes.map((c) => [c.server, c.action]),
      [['fs', 'delete']],
    );
  });

  test('with no usable base, every target is deferred and nothing is observed', () => {
    const plan = planAgainstBase(
      structuredClone(base),
      { observed: [], unavailable: 'the base is invalid' },
      renderers,
    );
    assert.ok(plan.targets.every((t) => t.deferred?.reason === 'not observed: the base is invalid'));
  });
});

describe('the comment of a pull request echoes nothing read from a target', () => {
  const CANARY = 'target-said-7c1e9b';
  const base = desiredState({
    laptop: [server('memory', { env: { LEVEL: 'info' } }), server('fs', { env: { ROOT: '/srv' } })],
    vm: [server('git')],
  });
  const observed = observedOf(base, { fs: { env: { ROOT: '/srv', EXTRA: CANARY } } });
  // The target's inventory says memory runs with a value nobody put in the repo.
  const memory = observed[0]!.servers[0]!;
  memory.spec = { ...memory.spec!, env: { LEVEL: CANARY } };
  memory.specHash = 'changed-on-the-target';
  observed[1] = {
    environment: 'dev',
    target: 'vm',
    reachable: false,
    reason: `engine replied: ${CANARY}`,
    servers: [],
  };

  test('old values and stall reasons are shown in a plan for people, never for a pull request', () => {
    const pr = structuredClone(base);
    pr.environments[0]!.targets[0]!.servers[0] = server('memory', { env: { LEVEL: 'debug' } });
    const plan = planAgainstBase(pr, { desired: base, observed }, renderers);
    const forPeople = renderPlanMarkdown(plan);
    assert.match(forPeople, new RegExp(`env.LEVEL: "${CANARY}" → "debug"`));
    assert.match(forPeople, new RegExp(`- env.EXTRA: "${CANARY}"`));
    assert.match(forPeople, new RegExp(`engine replied: ${CANARY}`));
    const comment = renderPlanMarkdown(plan, { untrusted: true });
    assert.doesNotMatch(comment, new RegExp(CANARY));
    assert.match(comment, /! env\.LEVEL: → "debug"/);
    assert.match(comment, /- env\.EXTRA\n/);
    assert.match(comment, /Stalled: the target could not be observed/);
  });
});

describe('who gets a plan', () => {
  const pr = (over: Record<string, unknown>): PullRequestPayload =>
    ({
      action: 'opened',
      number: 1,
      repository: { full_name: 'acme/config' },
      pull_request: {
        head: { sha: 'a'.repeat(40), ref: 'x', repo: { full_name: 'acme/config' } },
        base: { ref: 'main', repo: { full_name: 'acme/config' } },
        user: { login: 'dev' },
        author_association: 'MEMBER',
        ...over,
      },
    }) as PullRequestPayload;

  test('members on a branch of the repository are planned; forks and outsiders are not', () => {
    const options = { untrusted: 'validate' as const };
    assert.deepEqual(prMode(pr({}), options), { mode: 'plan' });
    assert.deepEqual(
      prMode(pr({ head: { sha: 'a'.repeat(40), ref: 'x', repo: { full_name: 'eve/config' } } }), options),
      {
        mode: 'validate',
        why: 'it comes from a fork',
      },
    );
    assert.deepEqual(
      prMode(pr({ head: { sha: 'a'.repeat(40), ref: 'x', repo: null } }), options).mode,
      'validate',
    );
    assert.deepEqual(prMode(pr({ author_association: 'CONTRIBUTOR' }), options), {
      mode: 'validate',
      why: 'its author @dev has no write access to the repository',
    });
    assert.equal(prMode(pr({ author_association: 'NONE' }), { untrusted: 'ignore' }).mode, 'ignore');
    assert.equal(prMode(pr({ author_association: 'NONE' }), { untrusted: 'plan' }).mode, 'plan');
    assert.equal(
      prMode(pr({ author_association: 'NONE' }), { untrusted: 'ignore', trustedAuthors: ['DEV'] }).mode,
      'plan',
    );
  });
});
