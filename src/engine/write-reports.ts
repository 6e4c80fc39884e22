/**
 * The `report` step: `reports/<env>/<target>.json` per target of the run, `reports/<env>/README.md`
 * per environment and `reports/README.md` for all, built on the reports committed at HEAD. Only
 * files whose content changed are written and staged; reports of targets and environments the
 * repo no longer has are removed (only when the run covered them).
 */
import type { Plan } from '../core/plan.js';
import type { TargetReport } from '../core/report.js';
import type { DesiredState } from '../core/state.js';
import type { FileWrite, GitRepo } from '../git/types.js';
import { buildTargetReport, type ServerVerification } from '../report/build-target-report.js';
import { renderEnvironmentReadme, renderReportsIndex } from '../report/render-report-markdown.js';
import { parseReport, serializeReport } from '../report/serialize-report.js';
import type { EnvironmentRun, ServerCheck, TargetRun } from './types.js';

export interface WriteReportsInput {
  repo: GitRepo;
  desired: DesiredState;
  plan: Plan;
  targets: readonly TargetRun[];
  environments: readonly EnvironmentRun[];
  revision: string;
  /** The run covered every target of its environments (no --target filter). */
  wholeEnvironments: boolean;
  /** The run covered every environment (no --env filter). */
  allEnvironments: boolean;
}

export interface WrittenReports {
  reports: TargetReport[];
  /** Paths that now differ from HEAD. */
  changed: string[];
}

export async function readReportsAt(
  repo: GitRepo,
  rev: string,
  dir: string,
): Promise<Map<string, TargetReport>> {
  const out = new Map<string, TargetReport>();
  if ((await repo.head()) === undefined) return out;
  for (const file of await repo.listFilesAt(rev, dir)) {
    if (!/^[^/]+\/[^/]+\.json$/.test(file.slice(dir.length + 1))) continue;
    const text = await repo.readFileAt(rev, file);
    if (text !== undefined) out.set(file, parseReport(text, file));
  }
  return out;
}

export async function writeReports(input: WriteReportsInput): Promise<WrittenReports> {
  const dir = input.desired.repository.reportsDir.replace(/\/+$/, '');
  const committed = await readReportsAt(input.repo, 'HEAD', dir);
  const reports = new Map(committed);
  const files: FileWrite[] = [];
  const fileOf = (env: string, target: string) => `${dir}/${env}/${target}.json`;

  for (const run of input.targets) {
    const path = fileOf(run.environment, run.target);
    const targetPlan = input.plan.targets.find(
      (t) => t.environment === run.environment && t.target === run.target,
    );
    const desired = input.desired.environments
      .find((e) => e.name === run.environment)
      ?.targets.find((t) => t.name === run.target);
    if (!targetPlan || !desired) continue;
    const report = buildTargetReport({
      previous: committed.get(path),
      targetPlan,
      observed: run.observed,
      results: run.results,
      verification: verification(run.verified),
      revision: input.revision,
      desired,
      gate: input.environments.find((e) => e.environment === run.environment)?.gate,
    });
    reports.set(path, report);
    files.push({ path, content: serializeReport(report) });
  }

  const removed = staleReports(input, [...committed.keys()], fileOf);
  for (const path of removed) reports.delete(path);

  const all = [...reports.values()];
  for (const env of input.desired.environments) {
    files.push({
      path: `${dir}/${env.name}/README.md`,
      content: renderEnvironmentReadme(
        env.name,
        all.filter((r) => r.environment === env.name),
      ),
    });
  }
  files.push({ path: `${dir}/README.md`, content: renderReportsIndex(all) });

  const changed = await input.repo.writeAndStage(files);
  const goneEnvs = new Set(
    removed
      .map((p) => p.split('/').at(-2))
      .filter((e) => !input.desired.environments.some((d) => d.name === e)),
  );
  const readmes = [...goneEnvs].map((e) => `${dir}/${e}/README.md`);
  changed.push(...(await input.repo.removeAndStage([...removed, ...readmes])));
  return { reports: all, changed };
}

function staleReports(
  input: WriteReportsInput,
  committed: string[],
  fileOf: (e: string, t: string) => string,
): string[] {
  const wanted = new Set(
    input.desired.environments.flatMap((e) => e.targets.map((t) => fileOf(e.name, t.name))),
  );
  const covered = (path: string) => {
    const env = path.split('/').at(-2) ?? '';
    const inRun = input.desired.environments.some((e) => e.name === env);
    return inRun ? input.wholeEnvironments : input.allEnvironments;
  };
  return committed.filter((p) => !wanted.has(p) && covered(p));
}

function verification(verified: ReadonlyMap<string, ServerCheck>): Map<string, ServerVerification> {
  const out = new Map<string, ServerVerification>();
  for (const [server, v] of verified) {
    out.set(server, {
      health: v.health,
      toolCount: v.toolCount,
      toolsHash: v.toolsHash,
      ...(v.error ? { error: v.error } : {}),
      ...(v.endpoint ? { endpoint: v.endpoint } : {}),
    });
  }
  return out;
}
