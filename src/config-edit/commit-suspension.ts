/**
 * `suspend` / `resume` as git: one commit on the checked-out branch that sets or clears
 * `spec.sync.suspend` in the environment's YAML file (found through the loader's positions, edited
 * structurally), authored as the Repository settings say, and pushed with `push`. It is a config
 * commit, not a report commit (no report trailer), so the next reconcile — local, `watch`, or
 * `serve` after the push — reads it as the desired state. Asking for what already holds commits
 * nothing.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { loadConfig } from '../config/load-config.js';
import type { LoadedDocument } from '../core/config-set.js';
import { McpGitopsError } from '../core/errors.js';
import type { EnvironmentResource } from '../core/resources.js';
import { openRepo } from '../git/open-repo.js';
import type { GitRepo } from '../git/types.js';
import { redactor } from '../log/redact.js';
import { resolveRepository, resolveSync } from '../resolve/resolve-defaults.js';
import { editSyncSuspend } from './edit-sync-suspend.js';
import { pushBranch, pushRemote } from './push-branch.js';

/** As the Environment schema allows for `sync.suspendReason`. */
export const MAX_REASON = 500;

export interface SuspensionOptions {
  repoDir: string;
  environment: string;
  suspend: boolean;
  /** For `suspend`: why, kept as `sync.suspendReason` and in the commit subject. */
  reason?: string;
  /** Lines for the commit message body, after the standard one. */
  body?: string[];
  push?: boolean;
}

export interface SuspensionState {
  environment: string;
  /** Repo-relative path of the environment's file. */
  file: string;
  suspended: boolean;
  reason?: string;
}

export interface SuspensionResult {
  /** As the branch head had it before the command. */
  before: SuspensionState;
  /** The commit made; undefined when the environment already was as asked. */
  commit?: string;
  branch: string;
  pushed: boolean;
  /** Things people should know (committed on a branch the repository does not track). */
  warnings: string[];
}

/** The environment's suspension as the config at HEAD has it (nothing is written). */
export async function readSuspension(repoDir: string, environment: string): Promise<SuspensionState> {
  const repo = await openRepo(repoDir);
  return (await environmentAtHead(repo, environment)).state;
}

export async function commitSuspension(options: SuspensionOptions): Promise<SuspensionResult> {
  const repo = await openRepo(options.repoDir);
  const reason = options.suspend ? cleanReason(options.reason) : undefined;
  const { head, branch, doc, repository, state } = await environmentAtHead(repo, options.environment);
  const warnings =
    branch === repository.branch
      ? []
      : [
          `committed on branch "${branch}", but the repository tracks "${repository.branch}" (mcp-gitops.yaml spec.branch): reconciles of "${repository.branch}" do not see it until it is merged`,
        ];
  const result: SuspensionResult = { before: state, branch, pushed: false, warnings };
  if (state.suspended === options.suspend) return result;

  const atHead = (await repo.readFileAt(head, doc.file)) ?? '';
  const inTree = await fs.readFile(path.join(repo.dir, doc.file), 'utf8').catch(() => undefined);
  if (inTree !== atHead) {
    throw new McpGitopsError(
      'ERR_USAGE',
      `${doc.file} has uncommitted changes: ${options.suspend ? 'suspend' : 'resume'} commits only its own edit of that file`,
      { hint: `commit or discard the changes to ${doc.file}, then run it again` },
    );
  }
  const edit = editSyncSuspend(
    doc.file,
    atHead,
    doc.index,
    options.suspend ? { suspend: true, ...(reason ? { reason } : {}) } : { suspend: false },
  );
  if (!edit.changed) return result;
  if (options.push) await pushRemote(repo);

  await repo.writeAndStage([{ path: doc.file, content: edit.text }]);
  result.commit = await repo.commit(message(options, doc.file, reason), repository.author);
  if (options.push) {
    await pushBranch(repo, branch);
    result.pushed = true;
  }
  return result;
}

async function environmentAtHead(repo: GitRepo, environment: string) {
  const head = await repo.head();
  if (!head) {
    throw new McpGitopsError(
      'ERR_NOT_A_REPO',
      `${repo.dir} has no commits: there is no environment to edit`,
      {
        hint: 'commit the config first',
      },
    );
  }
  const branch = await repo.currentBranch();
  if (!branch) {
    throw new McpGitopsError(
      'ERR_GIT',
      `${repo.dir} has a detached HEAD: the change needs a branch to be committed to`,
      {
        hint: 'check out the tracked branch first',
      },
    );
  }
  const { config } = await loadConfig({ root: repo.dir, source: 'revision', rev: head });
  const doc = config.environments.find((d) => d.name === environment) as
    | LoadedDocument<EnvironmentResource>
    | undefined;
  if (!doc) {
    throw new McpGitopsError('ERR_USAGE', `unknown environment "${environment}" at ${head.slice(0, 12)}`, {
      hint: `environments in this repo: ${config.environments.map((d) => d.name).join(', ') || '(none)'}`,
    });
  }
  const sync = resolveSync(typeof doc.value.spec?.sync === 'object' ? doc.value.spec.sync : undefined);
  const state: SuspensionState = {
    environment,
    file: doc.file,
    suspended: sync.suspend === true,
    ...(sync.suspendReason ? { reason: sync.suspendReason } : {}),
  };
  return { head, branch, doc, repository: resolveRepository(config.repository?.value), state };
}

function cleanReason(reason: string | undefined): string | undefined {
  const text = reason?.replace(/\s+/g, ' ').trim();
  if (!text) return undefined;
  if (text.length > MAX_REASON) {
    throw new McpGitopsError('ERR_USAGE', `--reason is ${text.length} characters, over ${MAX_REASON}`, {
      hint: 'say it shortly; the commit and the reports carry it',
    });
  }
  return text;
}

function message(options: SuspensionOptions, file: string, reason: string | undefined): string {
  const env = options.environment;
  const lines = options.suspend
    ? [
        `suspend(${env})${reason ? `: ${reason}` : ''}`,
        '',
        `sync.suspend: true in ${file}: nothing is applied to ${env} until`,
        `\`mcp-gitops resume --env ${env}\`; drift and held changes are still reported.`,
      ]
    : [
        `resume(${env})`,
        '',
        `sync.suspend cleared in ${file}: the next reconcile applies ${env}'s desired state again.`,
      ];
  if (options.body?.length) lines.push('', ...options.body);
  return redactor.redact(`${lines.join('\n')}\n`);
}
