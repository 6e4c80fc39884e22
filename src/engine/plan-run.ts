/** `plan` and `drift`: load → validate → resolve → observe → plan. Touches no target beyond observing. */
import type { Diagnostic } from '../core/diagnostics.js';
import type { Plan } from '../core/plan.js';
import type { DesiredState, ObservedTarget } from '../core/state.js';
import { committedReports } from './committed-reports.js';
import { createEngineDeps } from './default-deps.js';
import { createEffects } from './effects.js';
import { findRetiredTargets } from './find-retired-targets.js';
import { loadDesired } from './load-desired.js';
import { runLoop } from './run-loop.js';
import { recordedSurfaces } from './surface-drift.js';
import type { EngineDeps } from './types.js';

export interface PlanRunOptions {
  repoDir: string;
  environment?: string;
  target?: string;
  rev?: string;
  deps?: Partial<EngineDeps>;
  /**
   * Speak MCP to every running server and report `ToolsChanged` drift: its surface against its
   * lock, or, with no lock, against the fingerprints its target's committed report recorded.
   */
  surfaces?: boolean;
}

export interface PlanRunResult {
  desired: DesiredState;
  plan: Plan;
  observed: ObservedTarget[];
  warnings: Diagnostic[];
}

export async function planRun(options: PlanRunOptions): Promise<PlanRunResult> {
  const { repo, desired, warnings, sources, toolLock } = await loadDesired(options);
  desired.retired = await findRetiredTargets({
    repo,
    desired,
    environment: options.environment,
    target: options.target,
  });
  const deps = createEngineDeps(repo.dir, {
    toolLock: (_environment, server) => toolLock(server),
    ...options.deps,
  });
  const out = await runLoop({
    desired,
    deps,
    effects: createEffects(true, deps.logger),
    root: repo.dir,
    planOnly: true,
    sources,
    ...(options.surfaces
      ? {
          surfaces: {
            recorded: await recordedSurfaces(committedReports(repo, desired.repository.reportsDir)),
          },
        }
      : {}),
  });
  return { desired, plan: out.plan, observed: out.observed, warnings };
}
