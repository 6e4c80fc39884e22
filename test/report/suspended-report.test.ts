/**
 * A suspended environment in the reports: the `suspended` field of each target report, a Ready
 * condition that names the held changes, `revision.applied` left where it was, and the lines of
 * the Markdown pages. Pure: plans from the fixture cases, results as the engine gives them.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ChangeResult, TargetReport } from '../../src/core/report.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import { buildTargetReport } from '../../src/report/build-target-report.js';
import { renderEnvironmentReadme, renderReportsIndex } from '../../src/report/render-report-markdown.js';
import { parseReport, serializeReport } from '../../src/report/serialize-report.js';
import { caseInput, inSync, reportInput, results } from './report-scenario.js';

const healthy = new Map([['memory', { health: 'healthy' as const, toolCount: 9, toolsHash: 'f00d' }]]);
const REASON = 'rolled back to dev/v1.0.0';

function suspend<T extends ReturnType<typeof caseInput>>(input: T, reason?: string): T {
  for (const env of input.desired.environments)
    env.sync = { ...env.sync, suspend: true, ...(reason ? { suspendReason: reason } : {}) };
  return input;
}

function applied(): TargetReport {
  return buildTargetReport(
    reportInput(caseInput('create-new-target'), { revision: 'rev1', verification: healthy }),
  );
}

/** The spec-update case while suspended: the update is held back, as apply-plan holds it. */
function held(previous: TargetReport): TargetReport {
  const input = suspend(caseInput('spec-update'), REASON);
  const skipped: ChangeResult[] = results(buildPlan(input), 0, 'skipped').map((r) => ({
    ...r,
    message: 'not applied: environment dev is suspended (sync.suspend; mcp-gitops resume --env dev)',
  }));
  return buildTargetReport({
    ...reportInput(input, { revision: 'rev2', previous }),
    results: skipped,
    verification: new Map(),
  });
}

describe('reports of a suspended environment', () => {
  test('held changes: suspended field, Ready=False Suspended naming them, applied revision not moved', () => {
    const report = held(applied());
    assert.deepEqual(report.suspended, { reason: REASON });
    const ready = report.conditions.find((c) => c.type === 'Ready')!;
    assert.deepEqual([ready.status, ready.reason], ['False', 'Suspended']);
    assert.equal(
      ready.message,
      `environment dev is suspended (sync.suspend: ${REASON}); not applied: memory (update); ` +
        '`mcp-gitops resume --env dev` applies them',
    );
    assert.equal(report.conditions.find((c) => c.type === 'Stalled')?.status, 'False', 'not a failure');
    assert.equal(report.revision.applied, 'rev1', 'rev2 is not what runs');
    assert.equal(report.inventory[0]?.version, '2026.8.31', 'the old version is what runs');
    const json = serializeReport(report);
    assert.ok(
      json.includes(`"host": "local",\n  "suspended": {\n    "reason": "${REASON}"\n  },\n  "revision"`),
      'suspended sits with the other top-level facts, before revision',
    );
    assert.deepEqual(parseReport(json, 'x.json'), report);
  });

  test('in sync while suspended: the field stays, conditions are the ordinary ones', () => {
    const previous = applied();
    const report = buildTargetReport(
      reportInput(suspend(inSync(caseInput('create-new-target'))), { revision: 'rev2', previous }),
    );
    assert.deepEqual(report.suspended, {});
    assert.deepEqual(
      report.conditions.map((c) => `${c.type}=${c.status}:${c.reason}`),
      ['Ready=True:InSync', 'Reconciling=False:Idle', 'Stalled=False:Succeeded'],
    );
    // Resumed and still in sync: the field goes, nothing else changes.
    const resumed = buildTargetReport(
      reportInput(inSync(caseInput('create-new-target')), { revision: 'rev2', previous: report }),
    );
    assert.equal(resumed.suspended, undefined);
    assert.equal(serializeReport(resumed), serializeReport(previous));
  });

  test('the Markdown pages say Suspended, with the reason and how to end it', () => {
    const report = held(applied());
    const page = renderEnvironmentReadme('dev', [report]);
    assert.match(page, /\*\*1 target: 0 ready, 0 stalled, 1 suspended\.\*\*/);
    assert.match(
      page,
      /> \*\*Suspended\.\*\* Nothing is applied to this environment \(sync\.suspend\): rolled back to dev\/v1\.0\.0\. Drift and held changes are still reported; `mcp-gitops resume --env dev` ends the suspension\./,
    );
    assert.match(page, /\| \[`laptop`\]\(#target-laptop\) \| fake \| `local` \| Suspended \|/);
    assert.match(page, /\*\*Suspended\*\*: environment dev is suspended \(sync\.suspend: rolled back/);
    const index = renderReportsIndex([report]);
    assert.match(index, /> \*\*Suspended\.\*\* Nothing is applied to this environment/);
    assert.doesNotMatch(renderEnvironmentReadme('dev', [applied()]), /Suspended/);
  });
});
