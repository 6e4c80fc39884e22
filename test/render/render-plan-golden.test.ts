/**
 * Golden tests: every `test/fixtures/plan/<case>/case.json` is planned and rendered as text, JSON
 * and Markdown, and compared byte for byte with `expected.*`. `UPDATE_GOLDEN=1` rewrites them.
 * A case's `warnings` (what preflight found) are attached to its plan as the engine attaches them.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { PlanWarning } from '../../src/core/plan.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import { withWarnings } from '../../src/plan/plan-warnings.js';
import { renderPlanJson } from '../../src/render/render-plan-json.js';
import { renderPlanMarkdown } from '../../src/render/render-plan-markdown.js';
import { renderPlanText } from '../../src/render/render-plan-text.js';
import { loadCase } from '../plan/plan-fixture.js';

const ROOT = new URL('../fixtures/plan/', import.meta.url).pathname;
const UPDATE = process.env.UPDATE_GOLDEN === '1';

const RENDERERS = {
  'expected.txt': (plan) => renderPlanText(plan),
  'expected.json': (plan) => renderPlanJson(plan),
  'expected.md': (plan) => renderPlanMarkdown(plan),
} satisfies Record<string, (plan: ReturnType<typeof buildPlan>) => string>;

describe('plan golden files', () => {
  for (const name of readdirSync(ROOT).sort()) {
    test(name, () => {
      const file = join(ROOT, name, 'case.json');
      const { warnings = [] } = JSON.parse(readFileSync(file, 'utf8')) as { warnings?: PlanWarning[] };
      const plan = withWarnings(buildPlan(loadCase(file)), warnings);
      for (const [file, render] of Object.entries(RENDERERS)) {
        const path = join(ROOT, name, file);
        const actual = render(plan);
        if (UPDATE || !existsSync(path)) {
          if (!UPDATE) assert.fail(`${path} is missing: run with UPDATE_GOLDEN=1 and review it`);
          writeFileSync(path, actual);
          continue;
        }
        assert.equal(
          actual,
          readFileSync(path, 'utf8'),
          `${name}/${file} differs (UPDATE_GOLDEN=1 rewrites it)`,
        );
      }
    });
  }
});
