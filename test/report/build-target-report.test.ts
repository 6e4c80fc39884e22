import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TargetReport } from '../../src/core/report.js';
import { redactor } from '../../src/log/redact.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import { buildTargetReport } from '../../src/report/build-target-report.js';
import { commitMessage, isReportCommit } from '../../src/report/commit-message.js';
import { parseReport, serializeReport } from '../../src/report/serialize-report.js';
import { caseInput, inSync, reportInput, results } from './report-scenario.js';

const healthy = new Map([
  ['memory', { health: 'healthy' as const, toolCount: 9, toolsHash: 'f00d', endpoint: 'stdio:npx' }],
]);

function firstReport(): TargetReport {
  return buildTargetReport(
    reportInput(caseInput('create-new-target'), { revision: 'rev1', verification: healthy }),
  );
}

describe('buildTargetReport', () => {
  test('a first apply: Ready, inventory from verification, one run, revision applied', () => {
    const report = firstReport();
    assert.deepEqual(
      report.conditions.map((c) => `${c.type}=${c.status}:${c.reason}`),
      ['Ready=True:InSync', 'Reconciling=False:Idle', 'Stalled=False:Succeeded'],
    );
    assert.deepEqual(report.inventory, [
      {
        server: 'memory',
        version: '2026.8.31',
        transport: 'stdio',
        specHash: report.inventory[0]!.specHash,
        health: 'healthy',
        healthSince: 'rev1',
        toolCount: 9,
        toolsHash: 'f00d',
        endpoint: 'stdio:npx',
      },
    ]);
    assert.deepEqual(report.revision, { applied: 'rev1', attempted: 'rev1' });
    assert.deepEqual(report.runs, [
      { revision: 'rev1', result: 'success', changed: 1, failed: 0, drifted: 0 },
    ]);
    assert.equal(report.lastApply[0]?.outcome, 'applied');
    assert.ok(report.lastApply[0]?.diffs?.some((d) => d.path === 'package.version'));
  });

  test('a rerun with nothing to do at a new revision gives byte-identical JSON', () => {
    const previous = firstReport();
    const again = buildTargetReport(
      reportInput(inSync(caseInput('create-new-target')), { revision: 'rev2', previous }),
    );
    assert.equal(serializeReport(again), serializeReport(previous));
  });

  test('a rolled-back update keeps the old spec, is Stalled and does not move revision.applied', () => {
    const previous = firstReport();
    const input = caseInput('spec-update');
    const base = reportInput(input, { revision: 'rev3', previous });
    const plan = buildPlan(input);
    const failed = results(plan, 0, 'rolled-back').map((r) => ({
      ...r,
      message: 'verify failed: exited with code 1',
    }));
    const report = buildTargetReport({ ...base, results: failed, verification: new Map() });
    const stalled = report.conditions.find((c) => c.type === 'Stalled')!;
    assert.deepEqual([stalled.status, stalled.reason], ['True', 'RolledBack']);
    assert.match(stalled.message, /memory: rolled back \(verify failed: exited with code 1\)/);
    assert.equal(report.conditions[0]?.status, 'False');
    assert.equal(report.inventory[0]?.version, '2026.8.31', 'the old version is what runs');
    assert.deepEqual(report.revision, { applied: 'rev1', attempted: 'rev3' });
    assert.deepEqual(report.runs[0], {
      revision: 'rev3',
      result: 'failed',
      changed: 0,
      failed: 1,
      drifted: 0,
    });
  });

  test('an unreachable target is Stalled with its reason, keeps its inventory, and does not churn', () => {
    const previous = firstReport();
    const input = caseInput('create-new-target');
    const down = { ...input.observed[0]!, reachable: false, reason: 'ssh: Connection refused', servers: [] };
    const stalledInput = { ...input, observed: [down] };
    const first = buildTargetReport(reportInput(stalledInput, { revision: 'rev4', previous, results: [] }));
    assert.deepEqual(first.conditions[2], {
      type: 'Stalled',
      status: 'True',
      reason: 'TargetUnreachable',
      message: 'ssh: Connection refused',
    });
    assert.deepEqual(first.inventory, previous.inventory);
    assert.equal(first.runs[0]?.result, 'stalled');
    const again = buildTargetReport(
      reportInput(stalledInput, { revision: 'rev5', previous: first, results: [] }),
    );
    assert.equal(serializeReport(again), serializeReport(first));
  });

  test('drift left alone by detect is listed by field path and keeps the target not Ready', () => {
    const input = caseInput('drift-detect');
    const report = buildTargetReport(reportInput(input, { revision: 'rev1', verification: healthy }));
    assert.deepEqual(report.drift, [{ server: 'memory', paths: ['entry.args[2]'] }]);
    assert.equal(report.conditions[0]?.reason, 'DriftDetected');
    assert.match(report.conditions[0]!.message, /sync\.drift is detect/);
    const again = buildTargetReport(
      reportInput(input, { revision: 'rev2', previous: report, verification: healthy }),
    );
    assert.equal(serializeReport(again), serializeReport(report));
  });

  test('at most 5 runs, newest first', () => {
    let report: TargetReport | undefined;
    for (let i = 1; i <= 7; i++) {
      report = buildTargetReport(
        reportInput(caseInput('create-new-target'), { revision: `rev${i}`, previous: report }),
      );
    }
    assert.deepEqual(
      report!.runs.map((r) => r.revision),
      ['rev7', 'rev6', 'rev5', 'rev4', 'rev3'],
    );
  });

  test('serialized reports are redacted, key-ordered and read back', () => {
    const report = firstReport();
    report.lastApply[0]!.message = 'token sekret-canary-1234 rejected';
    redactor.add('sekret-canary-1234');
    const text = serializeReport(report);
    assert.ok(!text.includes('sekret-canary-1234'));
    assert.ok(
      text.startsWith(
        '{\n  "apiVersion": "mcp-gitops/v1",\n  "kind": "TargetReport",\n  "environment": "dev",',
      ),
    );
    assert.ok(text.endsWith('}\n'));
    assert.equal(parseReport(text).target, 'laptop');
    assert.throws(
      () => parseReport('{"kind":"Other"}', 'reports/dev/laptop.json'),
      /reports\/dev\/laptop\.json: not an mcp-gitops TargetReport/,
    );
  });
});

describe('commitMessage', () => {
  test('subject and trailer', () => {
    const message = commitMessage('dev', { changed: 2, failed: 1, drifted: 0 });
    assert.equal(message, 'reconcile(dev): 2 changed, 1 failed, 0 drifted\n\nMcp-Gitops-Report: true\n');
    assert.ok(isReportCommit(message));
    assert.ok(!isReportCommit('fix: mention Mcp-Gitops-Report: true in docs'));
  });
});

describe('health that is true now', () => {
  const downOn = (input: ReturnType<typeof inSync>, down: string, restarts: number) => {
    const [first, ...rest] = input.observed;
    const servers = first!.servers.map((s, i) => (i === 0 ? { ...s, down, restarts } : s));
    return { ...input, observed: [{ ...first!, servers }, ...rest] };
  };

  test('re-verifying a healthy server at later revisions changes nothing in git', () => {
    const previous = firstReport();
    const again = buildTargetReport(
      reportInput(inSync(caseInput('create-new-target')), {
        revision: 'rev7',
        previous,
        verification: healthy,
      }),
    );
    assert.equal(serializeReport(again), serializeReport(previous));
  });

  test('a server found down is Degraded with its reason and restarts; healthSince moves only then', () => {
    const previous = firstReport();
    const down = buildTargetReport(
      reportInput(downOn(inSync(caseInput('create-new-target')), 'exited with code 1: Error: boom', 3), {
        revision: 'rev2',
        previous,
      }),
    );
    const entry = down.inventory[0]!;
    assert.equal(entry.health, 'unhealthy');
    assert.equal(entry.healthReason, 'exited with code 1: Error: boom');
    assert.equal(entry.healthSince, 'rev2');
    assert.equal(entry.restarts, 3);
    const ready = down.conditions.find((c) => c.type === 'Ready')!;
    assert.equal(`${ready.status}:${ready.reason}`, 'False:Degraded');
    assert.match(ready.message, /memory \(exited with code 1: Error: boom\)/);

    // Verified healthy again at rev3: Ready, the reason gone, healthSince rev3.
    const back = buildTargetReport(
      reportInput(inSync(caseInput('create-new-target')), {
        revision: 'rev3',
        previous: down,
        verification: healthy,
      }),
    );
    assert.equal(back.inventory[0]!.health, 'healthy');
    assert.equal(back.inventory[0]!.healthReason, undefined);
    assert.equal(back.inventory[0]!.healthSince, 'rev3');
    assert.equal(back.conditions[0]!.status, 'True');
  });

  test('a verification failure of an unchanged server is its health reason', () => {
    const previous = firstReport();
    const failing = new Map([
      ['memory', { health: 'unhealthy' as const, error: 'not answering MCP after 100 ms' }],
    ]);
    const report = buildTargetReport(
      reportInput(inSync(caseInput('create-new-target')), {
        revision: 'rev2',
        previous,
        verification: failing,
      }),
    );
    assert.equal(report.inventory[0]!.healthReason, 'not answering MCP after 100 ms');
    assert.equal(report.conditions[0]!.reason, 'Degraded');
  });

  test('the same failure at the same revision again is one run record, byte for byte', () => {
    const input = caseInput('spec-update');
    const plan = buildPlan(input);
    const attempt = (previous: TargetReport | undefined) =>
      buildTargetReport({
        ...reportInput(input, { revision: 'rev9', previous }),
        results: results(plan, 0, 'failed').map((r) => ({ ...r, message: 'npm could not fetch x' })),
      });
    const first = attempt(firstReport());
    let last = first;
    for (let i = 0; i < 5; i++) last = attempt(last);
    assert.equal(serializeReport(last), serializeReport(first));
    assert.equal(first.runs.filter((r) => r.revision === 'rev9').length, 1);
  });
});
