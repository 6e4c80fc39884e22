/**
 * The `report` step: `reports/<env>/<target>.json` per target of the run, `reports/<env>/README.md`
 * per environment and `reports/README.md` for all, built on the reports committed at HEAD. Only
 * files whose content changed are written and staged. A target removed from the repo keeps a report
 * marked `retired` while servers mcp-gitops put there are left (prune off, or not deleted yet); its
 * report is removed once nothing is left. Reports the run covered but did not handle are removed,
 * except those a rollback keeps: targets its tag lacks but the branch head still has.
 */
import type { Plan, TargetPlan } from '../core/plan.js';
import type { TargetReport } from '../core/report.js';
import type { DesiredState } from '../core/state.js';
import type { FileWrite, GitRepo } from '../git/types.js';
import { buildTargetReport, type ServerVerification } from '../report/build-target-report.js';
import { renderEnvironmentReadme, renderReportsIndex } from '../report/render-report-markdown.js';
import { parseReport, serializeReport } from '../report/serialize-report.js';
import { summarizeSurface } from '../report/surface-summary.js';
import type { CommittedReports } from './committed-reports.js';
import { firstOutcomes } from './first-outcomes.js';
import type { ReadmeMemo } from './readme-memo.js';
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
  /** `env/target` whose committed reports stay as they are though the desired state lacks them (a rollback's branch-head targets). */
  keep?: ReadonlySet<string>;
  /** A rollback: every report records the run's revision (see `TargetReportInput.rollback`). */
  rollback?: boolean;
  /** The reports committed at HEAD, when the run already read them (committed-reports.ts). */
  committed?: CommittedReports;
  /** READMEs this build rendered before (readme-memo.ts); with `committed`, unchanged ones are not rendered again. */
  readmeMemo?: ReadmeMemo;
}

export interface WrittenReports {
  reports: TargetReport[];
  /** Paths that now differ from HEAD. */
  changed: string[];
}

/** The reports under `dir` at `rev`, by path; `texts`, when given, also gets each file's text. */
export async function readReportsAt(
  repo: GitRepo,
  rev: string,
  dir: string,
  texts?: Map<string, string>,
): Promise<Map<string, TargetReport>> {
  const out = new Map<string, TargetReport>();
  if ((await repo.head()) === undefined) return out;
  // Resolved once: each read by name would resolve it again (a ref lookup per report).
  const oid = await repo.resolveRevision(rev);
  for (const file of await repo.listFilesAt(oid, dir)) {
    if (!/^[^/]+\/[^/]+\.json$/.test(file.slice(dir.length + 1))) continue;
    const text = await repo.readFileAt(oid, file);
    if (text === undefined) continue;
    out.set(file, parseReport(text, file));
    texts?.set(file, text);
  }
  return out;
}

export async function writeReports(input: WriteReportsInput): Promise<WrittenReports> {
  const dir = input.desired.repository.reportsDir.replace(/\/+$/, '');
  const committed = await (input.committed?.() ?? readReportsAt(input.repo, 'HEAD', dir));
  // The committed texts, when the run read them: HEAD's side of each comparison, not read again.
  const atHead = await input.committed?.texts();
  const known = (path: string) =>
    atHead?.commit === undefined ? {} : { atHead: { commit: atHead.commit, text: atHead.texts.get(path) } };
  const reports = new Map(committed);
  const files: FileWrite[] = [];
  const fileOf = (env: string, target: string) => `${dir}/${env}/${target}.json`;

  const retiredDone: string[] = [];
  const held = new Set(input.environments.filter((e) => e.held).map((e) => e.environment));
  for (const run of input.targets) {
    const path = fileOf(run.environment, run.target);
    // A held environment keeps the reports of the attempt that failed: nothing new to record.
    if (held.has(run.environment) && committed.has(path)) continue;
    const targetPlan = input.plan.targets.find(
      (t) => t.environment === run.environment && t.target === run.target,
    );
    const desired = targetPlan?.retired
      ? input.desired.retired?.find(
          (r) => r.environment.name === run.environment && r.target.name === run.target,
        )?.target
      : input.desired.environments
          .find((e) => e.name === run.environment)
          ?.targets.find((t) => t.name === run.target);
    if (!targetPlan || !desired) continue;
    if (targetPlan.retired && nothingLeft(targetPlan, run, committed.get(path))) {
      retiredDone.push(path);
      continue;
    }
    const report = buildTargetReport({
      previous: committed.get(path),
      targetPlan,
      observed: run.observed,
      results: run.results,
      verification: verification(run.verified),
      revision: input.revision,
      desired,
      gate: input.environments.find((e) => e.environment === run.environment)?.gate,
      ...(input.rollback ? { rollback: true } : {}),
    });
    reports.set(path, report);
    files.push({ path, content: serializeReport(report), ...known(path) });
  }

  const handled = new Set(input.targets.map((t) => fileOf(t.environment, t.target)));
  const removed = [
    ...retiredDone,
    ...staleReports(input, [...committed.keys()], fileOf).filter((p) => !handled.has(p)),
  ];
  for (const path of removed) reports.delete(path);

  const all = [...reports.values()];
  const readme = readmeWriter(input, atHead, files);
  // Environments of the run, and removed environments whose retired targets still have a report.
  const envNames = new Set(input.desired.environments.map((e) => e.name));
  for (const run of input.targets)
    if (reports.has(fileOf(run.environment, run.target))) envNames.add(run.environment);
  for (const env of [...envNames].sort()) {
    const paths = [...reports].filter(([, r]) => r.environment === env).map(([p]) => p);
    files.push(
      await readme(`${dir}/${env}/README.md`, env, paths, () =>
        renderEnvironmentReadme(
          env,
          all.filter((r) => r.environment === env),
        ),
      ),
    );
  }
  files.push(await readme(`${dir}/README.md`, '', [...reports.keys()], () => renderReportsIndex(all)));

  const changed = await input.repo.writeAndStage(files);
  const goneEnvs = new Set(
    removed
      .map((p) => p.split('/').at(-2) ?? '')
      .filter((e) => !envNames.has(e) && !all.some((r) => r.environment === e)),
  );
  const readmes = [...goneEnvs].map((e) => `${dir}/${e}/README.md`);
  changed.push(...(await input.repo.removeAndStage([...removed, ...readmes])));
  input.readmeMemo?.save();
  return { reports: all, changed };
}

/**
 * How a README is written: rendered, unless the memo knows that this build rendered the README
 * committed at HEAD from exactly the report texts it would summarize now (this run's for the
 * reports it writes, HEAD's for the others); then it is HEAD's, unrendered.
 */
function readmeWriter(
  input: WriteReportsInput,
  committed: { commit: string | undefined; texts: ReadonlyMap<string, string> } | undefined,
  written: readonly FileWrite[],
): (path: string, name: string, reports: string[], render: () => string) => Promise<FileWrite> {
  const memo = input.readmeMemo;
  const commit = committed?.commit;
  const writtenTexts = new Map(written.map((f) => [f.path, f.content]));
  return async (path, name, reports, render) => {
    const texts = reports.map((p) => [p, writtenTexts.get(p) ?? committed?.texts.get(p)] as const);
    if (!memo || commit === undefined || texts.some(([, t]) => t === undefined))
      return { path, content: render() };
    const key = memo.key(name, texts as [string, string][]);
    const text = await input.repo.readFileAt(commit, path).catch(() => null);
    if (text === null) return { path, content: render() };
    const atHead = { commit, text };
    if (text !== undefined && memo.rendered(key, text)) return { path, content: text, atHead };
    const content = render();
    memo.remember(key, content);
    return { path, content, atHead };
  };
}

/**
 * A retired target's report goes once nothing it owned is left: every planned deletion applied
 * (or nothing was found), or, when it could not be reached, its last report listed nothing.
 */
function nothingLeft(targetPlan: TargetPlan, run: TargetRun, previous: TargetReport | undefined): boolean {
  if (targetPlan.stalled) return (previous?.inventory.length ?? 0) === 0;
  const outcomes = firstOutcomes(run.results);
  return targetPlan.changes.every((c) => c.action === 'delete' && outcomes.get(c.server) === 'applied');
}

function staleReports(
  input: WriteReportsInput,
  committed: string[],
  fileOf: (e: string, t: string) => string,
): string[] {
  const wanted = new Set([
    ...input.desired.environments.flatMap((e) => e.targets.map((t) => fileOf(e.name, t.name))),
    ...[...(input.keep ?? [])].map((k) => fileOf(k.split('/')[0] ?? '', k.split('/')[1] ?? '')),
  ]);
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
      ...(v.surface ? { surface: summarizeSurface(v.surface) } : {}),
      ...(v.identity ? { protocol: v.identity } : {}),
      // Under warn (under pin the verification failed and says so in its error).
      ...(v.toolsVerdict?.status === 'changed' && v.ok ? { toolsChanged: v.toolsVerdict.changed } : {}),
    });
  }
  return out;
}
