/**
 * A pull request's comment (untrusted Markdown) names each warning by a fixed phrase: a message
 * may quote what a host answered or what the reconciler's environment holds, so it is never echoed
 * there; the trusted renderings show it. Uses the `preflight-warnings` plan fixture.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { PlanWarning } from '../../src/core/plan.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import { withWarnings } from '../../src/plan/plan-warnings.js';
import { UNTRUSTED_WARNING } from '../../src/render/describe-warning.js';
import { renderPlanMarkdown } from '../../src/render/render-plan-markdown.js';
import { renderPlanText } from '../../src/render/render-plan-text.js';
import { loadCase } from '../plan/plan-fixture.js';

const CASE = new URL('../fixtures/plan/preflight-warnings/case.json', import.meta.url).pathname;

test('untrusted Markdown shows no warning message, trusted renderings do', () => {
  const { warnings } = JSON.parse(readFileSync(CASE, 'utf8')) as { warnings: PlanWarning[] };
  const plan = withWarnings(buildPlan(loadCase(CASE)), warnings);
  const untrusted = renderPlanMarkdown(plan, { untrusted: true });
  const trusted = renderPlanMarkdown(plan);
  const text = renderPlanText(plan);
  for (const w of warnings) {
    assert.ok(trusted.includes(w.message.replace(/[<>&|]/g, (c) => `&#${c.charCodeAt(0)};`)), w.message);
    assert.ok(text.includes(w.message), w.message);
    assert.equal(untrusted.includes(w.message), false, `echoed to a pull request: ${w.message}`);
    assert.ok(untrusted.includes(UNTRUSTED_WARNING[w.code]));
  }
  assert.equal(untrusted.includes('Connection refused'), false);
  assert.equal(untrusted.includes('FS_TOKEN is not set'), false);
  assert.match(untrusted, /\*\*Plan: .*, 4 warnings\.\*\*/);
});

test('a plan without warnings renders as before and says nothing about them', () => {
  const plan = withWarnings(buildPlan(loadCase(CASE)), []);
  assert.equal(plan.warnings, undefined);
  assert.equal(plan.summary.warnings, undefined);
  assert.doesNotMatch(renderPlanText(plan), /warning/i);
  assert.doesNotMatch(renderPlanMarkdown(plan), /WARNING|warnings/);
});
