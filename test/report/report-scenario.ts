/** Plans for report tests: a fixture case as first seen (servers missing) and once in sync. */
import { join } from 'node:path';
import type { Plan } from '../../src/core/plan.js';
import type { ChangeResult, TargetReport } from '../../src/core/report.js';
import type { ObservedTarget } from '../../src/core/state.js';
import { type BuildPlanInput, buildPlan } from '../../src/plan/build-plan.js';
import { buildTargetReport, type TargetReportInput } from '../../src/report/build-target-report.js';
import { loadCase, renderEntry } from '../plan/plan-fixture.js';

const FIXTURES = new URL('../fixtures/plan/', import.meta.url).pathname;

export function caseInput(name: string): BuildPlanInput {
  return loadCase(join(FIXTURES, name, 'case.json'));
}

/** The same desired state, observed as fully applied on every target. */
export function inSync(input: BuildPlanInput): BuildPlanInput {
  const observed: ObservedTarget[] = input.desired.environments.flatMap((env) =>
    env.targets.map((t) => ({
      environment: env.name,
      target: t.name,
      reachable: true,
      servers: t.servers.map((s) => ({
        name: s.name,
        spec: s.spec,
        specHash: s.specHash,
        actual: renderEntry(s.spec),
      })),
    })),
  );
  return { ...input, observed };
}

/** Results as the engine gives them: every change applied (or the given outcome), noops unchanged. */
export function results(
  plan: Plan,
  target = 0,
  outcome: ChangeResult['outcome'] = 'applied',
): ChangeResult[] {
  return plan.targets[target]!.changes.map((c) => ({
    server: c.server,
    action: c.action,
    outcome: c.action === 'noop' ? 'unchanged' : c.skipApply ? 'skipped' : outcome,
  }));
}

export function reportInput(
  input: BuildPlanInput,
  extra: Partial<TargetReportInput> & { revision: string | undefined },
  target = 0,
): TargetReportInput {
  const plan = buildPlan(input);
  const targetPlan = plan.targets[target]!;
  const desired = input.desired.environments
    .flatMap((e) => e.targets)
    .find((t) => t.name === targetPlan.target)!;
  const observed = input.observed.find((o) => o.target === targetPlan.target)!;
  return {
    targetPlan,
    observed,
    desired,
    results: results(plan, target),
    verification: new Map(),
    ...extra,
  };
}

/**
 * The Markdown tests' reports: a laptop target as created, the same laptop after a spec update
 * that was rolled back (its failure message ending in `message`), and a stalled environment's two
 * targets.
 */
export function sampleReports(message = ''): {
  laptop: TargetReport;
  rolledBack: TargetReport;
  vm: TargetReport;
  stagingLaptop: TargetReport;
} {
  const verification = new Map([
    [
      'memory',
      {
        health: 'healthy' as const,
        toolCount: 9,
        toolsHash: 'f00d',
        endpoint: 'stdio: npx -y @modelcontextprotocol/server-memory@2026.8.31',
        protocol: {
          protocolVersion: '2025-11-25',
          handshake: 'initialize' as const,
          serverInfo: { name: 'memory-server', version: '0.6.3' },
          capabilities: ['tools'],
        },
      },
    ],
  ]);
  const laptop = buildTargetReport(
    reportInput(caseInput('create-new-target'), { revision: 'a1b2c3d4e5', verification }),
  );
  const updated = caseInput('spec-update');
  const failed: ChangeResult[] = results(buildPlan(updated), 0, 'rolled-back').map((r) => ({
    ...r,
    message: `expected tool read_graph | not listed${message}`,
  }));
  const rolledBack = buildTargetReport({
    ...reportInput(updated, { revision: 'b2c3d4e5f6', previous: laptop }),
    results: failed,
  });
  const staging = caseInput('stalled-target');
  const vm = buildTargetReport(reportInput(staging, { revision: 'c3d4e5f6a7', results: [] }, 0));
  const stagingLaptop = buildTargetReport(
    reportInput(
      staging,
      { revision: 'c3d4e5f6a7', verification: new Map([['memory', { health: 'starting' as const }]]) },
      1,
    ),
  );
  return { laptop, rolledBack, vm, stagingLaptop };
}
