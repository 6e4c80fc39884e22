/**
 * The tag half of the record step (commit-and-tag.ts decides which environments are due one): an
 * annotated `<env>/vX.Y.Z` tag per environment, the version bumped from its latest tag by what was
 * applied, or the rollback's version. Its own module because it needs semver and the version
 * rules, which a run that releases nothing never loads.
 */
import type { Change } from '../core/plan.js';
import { redactor } from '../log/redact.js';
import { envTagName, envTagPrefix, parseEnvTags } from '../version/env-tags.js';
import { type NextVersion, nextVersion } from '../version/next-version.js';
import { rollbackTagLines, rollbackVersion } from '../version/rollback-tag.js';
import type { RecordInput } from './commit-and-tag.js';
import { firstOutcomes } from './first-outcomes.js';

/** An environment's counts in this run (run-loop.ts countOutcomes). */
export interface EnvironmentCounts {
  env: string;
  changed: number;
  drifted: number;
}

/** Tags `due` (in order) on `commit` (HEAD when undefined); returns the tag names made. */
export async function tagEnvironments(
  input: RecordInput,
  due: readonly EnvironmentCounts[],
  commit: string | undefined,
): Promise<string[]> {
  const { repo, desired, rollback } = input;
  const tags: string[] = [];
  const existing = await repo.listTags();
  for (const c of due) {
    const rolledBack = rollback?.environment === c.env ? rollback : undefined;
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
    await repo.createTag(name, redactor.redact(`${body}\n`), desired.repository.author, commit);
    tags.push(name);
  }
  return tags;
}

function appliedChanges(input: RecordInput, env: string): Change[] {
  const out: Change[] = [];
  for (const tp of input.plan.targets.filter((t) => t.environment === env)) {
    const run = input.targets.find((t) => t.environment === env && t.target === tp.target);
    const outcomes = firstOutcomes(run?.results ?? []);
    for (const change of tp.changes) if (outcomes.get(change.server) === 'applied') out.push(change);
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
