/**
 * Pure: what `mcp-gitops init` prints — the files it wrote, what it did with git, and next steps
 * that name the command this user can run (see `cli-invocation.ts`), with how to install it when
 * it is not on PATH.
 */
import * as path from 'node:path';
import { shellWord } from './cli-invocation.js';
import type { InitResult } from './init-repo.js';
import { SCHEMAS_DIR } from './schema-modeline.js';

export function initSummary(
  result: Pick<InitResult, 'dir' | 'written' | 'kept' | 'commit' | 'cli' | 'environments'>,
  cwd: string,
  presets: readonly string[],
): string {
  const out: string[] = [`Created an mcp-gitops config repo in ${result.dir}`];
  for (const file of result.written.filter((f) => !f.startsWith(`${SCHEMAS_DIR}/`))) out.push(`  ${file}`);
  out.push(`  ${SCHEMAS_DIR}/ (schemas for editors)`);
  for (const file of result.kept) out.push(`  ${file} (existing file kept)`);
  if (result.commit)
    out.push(`git: new repository on branch main, first commit ${result.commit.slice(0, 7)}`);
  else out.push('git: files written, not committed (review them, then git add and git commit)');

  const run = result.cli.command;
  const env = result.environments[0] ?? 'dev';
  const step = (args: string, why: string) => `  ${`${run} ${args}`.padEnd(run.length + 18)} # ${why}`;
  const rel = path.relative(cwd, result.dir);
  out.push('', 'Next steps:');
  if (rel) out.push(`  cd ${shellWord(rel.startsWith('..') ? result.dir : rel)}`);
  out.push(
    step('validate', 'check every file'),
    step('hooks install', 'validate on every commit and push'),
    step('plan', 'see what would change on the targets'),
    step('reconcile', `apply, verify over MCP, commit reports, tag ${env}/v1.0.0`),
  );
  if (result.cli.install.length > 0) out.push('', ...result.cli.install);
  out.push('', `Presets: ${presets.join(', ')} (add one with --preset NAME)`);
  return `${out.join('\n')}\n`;
}
