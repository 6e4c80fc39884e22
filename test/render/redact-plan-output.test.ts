import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { redactor } from '../../src/log/redact.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import { renderPlanJson } from '../../src/render/render-plan-json.js';
import { renderPlanMarkdown } from '../../src/render/render-plan-markdown.js';
import { renderPlanText, renderPlanTextPieces } from '../../src/render/render-plan-text.js';
import { loadCase } from '../plan/plan-fixture.js';

test('a materialized secret value seen as drift never reaches any plan output', () => {
  const canary = 'canary-7f3a9c1e5b';
  redactor.add(canary);
  const input = loadCase(
    join(new URL('../fixtures/plan/', import.meta.url).pathname, 'drift-detect', 'case.json'),
  );
  const server = input.observed[0]!.servers[0]!;
  server.actual = {
    entry: {
      command: 'npx',
      args: ['-y', '@modelcontextprotocol/server-memory@2026.8.31'],
      env: { API_TOKEN: canary },
    },
  };
  const plan = buildPlan(input);
  assert.equal(plan.summary.drifted, 1, 'the secret shows up as a drifted field');
  for (const out of [
    renderPlanText(plan),
    renderPlanText(plan, { color: true }),
    renderPlanJson(plan),
    renderPlanMarkdown(plan),
    [...renderPlanTextPieces(plan)].join(''),
  ]) {
    assert.ok(!out.includes(canary), out);
    assert.ok(out.includes('[REDACTED]'));
  }
});

test('colour only when asked for', () => {
  const plan = buildPlan(
    loadCase(join(new URL('../fixtures/plan/', import.meta.url).pathname, 'spec-update', 'case.json')),
  );
  assert.ok(!renderPlanText(plan).includes('\u001b['));
  const coloured = renderPlanText(plan, { color: true });
  assert.ok(coloured.includes('\u001b[33m'));
  assert.equal(coloured.replace(/\u001b\[\d+m/g, ''), renderPlanText(plan));
});

test('the text plan in pieces is the text plan, redacted the same', () => {
  const canary = 'canary-pieces-51c0d2';
  redactor.add(canary);
  const input = loadCase(
    join(new URL('../fixtures/plan/', import.meta.url).pathname, 'drift-detect', 'case.json'),
  );
  input.observed[0]!.servers[0]!.actual = { entry: { command: 'npx', args: [], env: { API_TOKEN: canary } } };
  const plan = buildPlan(input);
  for (const color of [false, true]) {
    const whole = renderPlanText(plan, { color });
    assert.ok(whole.includes('[REDACTED]') && !whole.includes(canary));
    assert.equal([...renderPlanTextPieces(plan, { color })].join(''), whole);
  }
});
