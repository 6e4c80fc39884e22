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
import type { Plan } from '../core/plan.js';
import type { DesiredState } from '../core/state.js';
import type { GitRepo } from '../git/types.js';
import { redactor } from '../log/redact.js';
import { commitMessage, type RollbackSource, rollbackCommitMessage } from '../report/commit-message.js';
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

  // Most runs release nothing: the version code (and semver) loads only when a tag is due.
  const taggable = counts.filter((c) => {
    const gate = input.environments.find((e) => e.environment === c.env)?.gate;
    const rolledBack = rollback?.environment === c.env;
    if ((c.changed === 0 && !rolledBack) || c.failed > 0 || c.stalled > 0 || gate) return false;
    // A removed environment gets no new version: it no longer exists to be shipped.
    return desired.environments.some((e) => e.name === c.env);
  });
  if (taggable.length === 0) return { commit, tags: [] };
  const { tagEnvironments } = await import('./tag-environments.js');
  return { commit, tags: await tagEnvironments(input, taggable, commit) };
}
