/**
 * The record step: one commit of the changed reports (author and message from the Repository
 * settings and the run's counts, trailer included), then an annotated `<env>/vX.Y.Z` tag for every
 * environment whose apply succeeded and released something: repairs alone (drift corrected, a
 * dead process restarted) commit the reports but make no tag. The versions seen are the repo's
 * tags, which in `serve`'s cache checkout include the remote's (it fetches them). Messages pass
 * the one redactor.
 * A rollback is an event whatever it changed: it always commits (`rollback(dev): to dev/v1.0.0,
 * …`, empty when no report changed) and, unless something failed, always tags the next version,
 * in a message that names the rollback and the config revision it applied.
 */
import type { Change, Plan } from '../core/plan.js';
import type { DesiredState } from '../core/state.js';
import type { GitRepo } from '../git/types.js';
import { redactor } from '../log/redact.js';
import { commitMessage, type RollbackSource, rollbackCommitMessage } from '../report/commit-message.js';
import { envTagName, envTagPrefix, parseEnvTags } from '../version/env-tags.js';
import { type NextVersion, nextVersion } from '../version/next-version.js';
import { rollbackTagLines, rollbackVersion } from '../version/rollback-tag.js';
import { countOutcomes } from './run-loop.js';
import type { EnvironmentRun, TargetRun } from './types.js';

export interface RecordInput {
  repo: GitRepo;
  desired: DesiredState;
  plan: Plan;
  targets: readonly TargetRun[];
  environments: readonly EnvironmentRun[];
  revision: string;
  /** Report paths that differ from HEAD (already staged). */
  changed: readonly string[];
  /** Extra line for commit and tag messages, e.g. `rolled back to dev/v1.0.0 and suspended dev`. */
  note?: string;
  /** This run is a rollback of `environment` to a tag (its desired state was read there). */
  rollback?: RollbackSource & { environment: string };
}

const RECORD_ONLY =
  'Nothing was applied in this run: the reports record what the targets were found running and ' +
  'verified as (e.g. after `mcp-gitops apply`, which records nothing).';

export interface Recorded {
  commit?: string;
  tags: string[];
}

export async function commitAndTag(input: RecordInput): Promise<Recorded> {
  const { repo, desired } = input;
  const author = desired.repository.author;
  // The plan's environments: the desired ones, then removed ones whose retired targets were handled.
  const counts = input.plan.environments.map((env) => ({
    env,
    ...countOutcomes(input.plan, input.targets, env),
  }));
  const rollback = input.rollback;
  let commit: string | undefined;
  if (input.changed.length > 0 || rollback) {
    const touched = counts.filter((c) => c.changed + c.failed + c.drifted > 0);
    const shown = rollback
      ? counts.filter((c) => c.env === rollback.environment)
      : touched.length > 0
        ? touched
        : counts;
    const sum = (k: 'changed' | 'failed' | 'drifted') => shown.reduce((n, c) => n + c[k], 0);
    const total = { changed: sum('changed'), failed: sum('failed'), drifted: sum('drifted') };
    const notes = input.note ? [redactor.redact(input.note)] : [];
    let message: string;
    if (rollback) message = rollbackCommitMessage(rollback.environment, rollback, total, notes);
    else {
      message = commitMessage(shown.map((c) => c.env).join(','), total);
      // A record-only commit (after `apply`, a health change, a suspension): say why it exists.
      if (total.changed + total.failed + total.drifted === 0) notes.push(RECORD_ONLY);
      if (notes.length > 0) message = message.replace('\n\n', `\n\n${notes.join('\n')}\n\n`);
    }
    commit = await repo.commit(message, author);
  }

  const tags: string[] = [];
  const existing = await repo.listTags();
  for (const c of counts) {
    const gate = input.environments.find((e) => e.environment === c.env)?.gate;
    const rolledBack = rollback?.environment === c.env ? rollback : undefined;
    if ((c.changed === 0 && !rolledBack) || c.failed > 0 || c.stalled > 0 || gate) continue;
    // A removed environment gets no new version: it no longer exists to be shipped.
    if (!desired.environments.some((e) => e.name === c.env)) continue;
    const prefix = envTagPrefix(desired.repository.tagPrefix, c.env);
    const previous = parseEnvTags(existing, prefix);
    const applied = appliedChanges(input, c.env);
    const addedTargets = previous ? await targetsAddedSince(input, c.env, envTagName(prefix, previous)) : [];
    const next: NextVersion | undefined =
      nextVersion(previous, applied, c.env, { addedTargets }) ??
      (rolledBack ? rollbackVersion(previous, rolledBack.tag) : undefined);
    if (!next) continue;
    const name = envTagName(prefix, next.version);
    const counted = `${c.changed} changed, ${c.drifted} drifted`;
    const body = [
      rolledBack
        ? `${c.env} ${next.version}: Rollback of ${c.env} to ${rolledBack.tag}, ${counted}`
        : `${c.env} ${next.version}: ${counted}`,
      '',
      `${next.bump}: ${next.reasons.join('; ')}`,
      ...(rolledBack ? rollbackTagLines(rolledBack) : []),
      `revision: ${input.revision}`,
      ...(input.note ? [input.note] : []),
    ].join('\n');
    await repo.createTag(name, redactor.redact(`${body}\n`), author, commit);
    tags.push(name);
  }
  return { commit, tags };
}

function appliedChanges(input: RecordInput, env: string): Change[] {
  const out: Change[] = [];
  for (const tp of input.plan.targets.filter((t) => t.environment === env)) {
    const run = input.targets.find((t) => t.environment === env && t.target === tp.target);
    for (const change of tp.changes) {
      if (run?.results.find((r) => r.server === change.server)?.outcome === 'applied') out.push(change);
    }
  }
  return out;
}

/** Targets of `env` without a report at the previous tag. */
async function targetsAddedSince(input: RecordInput, env: string, tag: string): Promise<string[]> {
  const dir = `${input.desired.repository.reportsDir.replace(/\/+$/, '')}/${env}`;
  const before = new Set(await input.repo.listFilesAt(tag, dir).catch(() => [] as string[]));
  const targets = input.desired.environments.find((e) => e.name === env)?.targets ?? [];
  return targets.map((t) => t.name).filter((t) => !before.has(`${dir}/${t}.json`));
}
