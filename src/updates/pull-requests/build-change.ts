/**
 * What an update branch holds, before git: each pin bumped in its file's text (bump-version.ts),
 * the plan of the branch against the base (plan-diff.ts), the scratch verification and the new
 * locks (verify-change.ts), and the commit message that says what changes and why.
 */

import { buildConfigSet } from '../../config/load-config.js';
import type { ConfigSet } from '../../core/config-set.js';
import { resolveDesiredState } from '../../resolve/index.js';
import type { UpdateChange } from '../types.js';
import { bumpVersion } from './bump-version.js';
import { planDiff, type TargetServerChange } from './plan-diff.js';
import type { ChangeVerification, VerifyChangeOptions } from './verify-change.js';
import { verifyChange } from './verify-change.js';

export interface BuiltChange {
  /** Path → new text: bumped files and added locks. */
  files: Map<string, string>;
  plan: TargetServerChange[] | { unavailable: string };
  verification: ChangeVerification;
  message: string;
}

/** The bumped texts of every file the change edits. */
export function bumpFiles(change: UpdateChange, base: Pick<ConfigSet, 'files'>): Map<string, string> {
  const out = new Map<string, string>();
  for (const u of change.updates) {
    const loc = u.location;
    const pin = u.proposed?.pin;
    if (!loc || pin === undefined) continue;
    const text = out.get(loc.file) ?? base.files.find((f) => f.path === loc.file)?.text;
    if (text === undefined) throw new Error(`${loc.file} is not in the base branch`);
    out.set(loc.file, bumpVersion(text, loc, u.current, pin).text);
  }
  return out;
}

function message(change: UpdateChange, locks: readonly string[]): string {
  const lines = change.updates.map(
    (u) =>
      `- ${u.server}: ${u.current} -> ${u.proposed?.pin ?? ''}${u.environments.length > 0 ? ` (${u.environments.join(', ')})` : ''}`,
  );
  const subject =
    change.group === undefined
      ? `Update ${change.name} to ${change.updates[0]?.proposed?.pin ?? ''}`
      : `Update group ${change.name}`;
  const why = `A newer release is allowed by the update policy (${[...new Set(change.updates.map((u) => u.policy.allow))].join(', ')}); proposed by mcp-gitops updates --open-prs.`;
  const lockLine =
    locks.length > 0
      ? [`Adds the tool lock from a scratch verification of the new version: ${locks.join(', ')}.`]
      : [];
  return `${subject}\n\n${lines.join('\n')}\n\n${why}\n${lockLine.join('\n')}${lockLine.length ? '\n' : ''}`;
}

export async function buildChange(
  change: UpdateChange,
  base: ConfigSet,
  options: VerifyChangeOptions & { verify: boolean },
): Promise<BuiltChange> {
  const bumped = bumpFiles(change, base);
  const branchFiles = base.files.map((f) => ({ path: f.path, text: bumped.get(f.path) ?? f.text }));
  let plan: BuiltChange['plan'];
  let branchState: ReturnType<typeof resolveDesiredState> | undefined;
  try {
    const branch = buildConfigSet(base.root, 'revision', undefined, { files: branchFiles, diagnostics: [] });
    branchState = resolveDesiredState(branch.config);
    plan = planDiff(resolveDesiredState(base), branchState);
  } catch (err) {
    plan = {
      unavailable: err instanceof Error ? (err.message.split('\n')[0]?.slice(0, 300) ?? 'error') : 'error',
    };
  }
  const verification =
    options.verify && branchState
      ? await verifyChange(change, branchState, base, options)
      : { results: [], locks: new Map<string, string>() };
  const files = new Map([...bumped, ...verification.locks]);
  return { files, plan, verification, message: message(change, [...verification.locks.keys()]) };
}
