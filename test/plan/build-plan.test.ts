import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Change } from '../../src/core/plan.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import { readPlanJson } from '../../src/plan/read-plan-json.js';
import { renderPlanJson } from '../../src/render/render-plan-json.js';
import { fakeRenderer, loadCase } from './plan-fixture.js';

const FIXTURES = new URL('../fixtures/plan/', import.meta.url).pathname;
const load = (name: string) => loadCase(join(FIXTURES, name, 'case.json'));
const brief = (c: Change) => `${c.server}:${c.action}:${c.reason}${c.skipApply ? ':skip' : ''}`;

describe('buildPlan', () => {
  test('missing servers are created with every spec field as a diff', () => {
    const plan = buildPlan(load('create-new-target'));
    assert.deepEqual(plan.targets[0]?.changes.map(brief), ['memory:create:missing']);
    assert.ok(
      plan.targets[0]?.changes[0]?.diffs.some((d) => d.path === 'package.version' && d.after === '2026.8.31'),
    );
    assert.equal(plan.revision, 'a1b2c3d');
  });

  test('equal specs with a different hash are in sync, never a change without a diff', () => {
    const plan = buildPlan(load('in-sync'));
    assert.deepEqual(plan.targets[0]?.changes.map(brief), ['memory:noop:in-sync', 'tools:noop:in-sync']);
    assert.deepEqual(plan.summary, { create: 0, update: 0, delete: 0, noop: 2, drifted: 0, stalled: 0 });
  });

  test('specs compare after normalization: an inventory spec missing a default is in sync', () => {
    const input = load('in-sync');
    const tools = input.desired.environments[0]!.targets[0]!.servers[1]!;
    tools.spec = { ...tools.spec, health: { timeoutMs: 10000 } };
    assert.equal(brief(buildPlan(input).targets[0]!.changes[1]!), 'tools:noop:in-sync');
    tools.spec = { ...tools.spec, health: { timeoutMs: 5000 } };
    assert.deepEqual(buildPlan(input).targets[0]!.changes[1]!.diffs, [
      { path: 'health.timeoutMs', before: 10000, after: 5000 },
    ]);
  });

  test('spec changes carry field diffs', () => {
    const change = buildPlan(load('spec-update')).targets[0]?.changes[0];
    assert.equal(brief(change!), 'memory:update:spec');
    assert.deepEqual(
      change?.diffs.map((d) => d.path),
      ['env.LOG_LEVEL', 'env.NEW', 'env.OLD', 'package.version', 'secrets[API_TOKEN].ref'],
    );
  });

  test('drift is corrected with mode correct and only reported with detect', () => {
    assert.deepEqual(buildPlan(load('drift-correct')).targets[0]?.changes.map(brief), [
      'memory:update:drift',
      'fetch:noop:in-sync',
    ]);
    const detect = buildPlan(load('drift-detect'));
    assert.deepEqual(detect.targets[0]?.changes.map(brief), ['memory:update:drift:skip']);
    assert.equal(detect.summary.update, 0);
    assert.equal(detect.summary.drifted, 1);
  });

  test('prune deletes dependents before their dependencies; without prune orphans are kept', () => {
    assert.deepEqual(buildPlan(load('prune-delete')).targets[0]?.changes.map(brief), [
      'memory:noop:in-sync',
      'api:delete:prune',
      'db:delete:prune',
    ]);
    assert.deepEqual(buildPlan(load('orphan-kept')).targets[0]?.changes.map(brief), [
      'memory:noop:in-sync',
      'legacy:noop:orphan-kept',
    ]);
  });

  test('maxDeletions blocks only the environment that exceeds it', () => {
    const plan = buildPlan(load('max-deletions'));
    assert.deepEqual(
      plan.blocked.map((b) => b.environment),
      ['prod'],
    );
    assert.match(plan.blocked[0]!.reason, /deletes 2 servers, more than sync\.maxDeletions \(1\)/);
  });

  test('an unreachable target is stalled with its reason and no changes', () => {
    const plan = buildPlan(load('stalled-target'));
    assert.deepEqual(plan.targets[0]?.stalled, {
      reason: 'ssh: connect to host vm-2.internal port 22: Connection refused',
    });
    assert.deepEqual(plan.targets[0]?.changes, []);
    assert.equal(plan.summary.stalled, 1);
    assert.equal(plan.summary.create, 1);
  });

  test('render is only asked when the spec is unchanged; a renderer function works like a map', () => {
    let calls = 0;
    const counting = () => ({
      render: (...args: Parameters<typeof fakeRenderer.render>) => {
        calls++;
        return fakeRenderer.render(...args);
      },
    });
    buildPlan({ ...load('spec-update'), renderers: counting });
    assert.equal(calls, 0);
    buildPlan({ ...load('drift-correct'), renderers: counting });
    assert.equal(calls, 2);
  });

  test('an unknown provider is an error that names it', () => {
    assert.throws(() => buildPlan({ ...load('in-sync'), renderers: new Map() }), /no provider "fake"/);
  });

  test('same input, same bytes; the saved plan reads back', () => {
    const a = renderPlanJson(buildPlan(load('drift-correct')));
    assert.equal(renderPlanJson(buildPlan(load('drift-correct'))), a);
    assert.deepEqual(readPlanJson(a), JSON.parse(a));
    assert.throws(() => readPlanJson('{"formatVersion":2}'), /not an mcp-gitops plan/);
  });
});
