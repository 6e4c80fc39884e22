/**
 * `hooks install`: write the pre-commit / pre-push hooks. An mcp-gitops hook is replaced in
 * place; a foreign hook is never clobbered: refused (nothing written) unless forced, and then
 * moved aside to `<hook>.bak` (or `.bak.N`) first.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { McpGitopsError } from '../core/errors.js';
import { type HookLocation, locateHooks } from './locate-hooks.js';
import { type GitHookName, type HookCommand, isOwnHook, renderHook } from './render-hook.js';

export type HookAction = 'installed' | 'updated' | 'unchanged' | 'replaced';

export interface HookResult {
  hook: GitHookName;
  path: string;
  action: HookAction;
  /** Where a foreign hook was moved (with force). */
  backup?: string;
}

export interface InstallOptions {
  hooks: readonly GitHookName[];
  force: boolean;
  /** The node binary and the mcp-gitops bin script the hooks call (absolute paths). */
  node: string;
  bin: string;
}

function readIfAny(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return fs.existsSync(file) || isLink(file) ? '' : undefined;
  }
}

function isLink(file: string): boolean {
  try {
    return fs.lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

function backupPath(file: string): string {
  let candidate = `${file}.bak`;
  for (let i = 1; fs.existsSync(candidate) || isLink(candidate); i++) candidate = `${file}.bak.${i}`;
  return candidate;
}

export async function installHooks(dir: string, options: InstallOptions): Promise<HookResult[]> {
  const where: HookLocation = await locateHooks(dir);
  if (where.repo !== '') {
    // git runs hooks at the top of the work tree, and validate reads the index and revisions there.
    throw new McpGitopsError(
      'ERR_NOT_A_REPO',
      `the config repo ${where.repo}/ is a sub-folder of the git work tree ${where.top}`,
      {
        hint: 'hooks validate a config repo at the top of its git work tree: keep mcp-gitops.yaml there (its own repository)',
      },
    );
  }
  const cmd: HookCommand = { node: options.node, bin: options.bin };
  const plans = options.hooks.map((hook) => {
    const file = path.join(where.hooksDir, hook);
    const current = isLink(file) ? '' : readIfAny(file);
    return { hook, file, current, text: renderHook(hook, cmd) };
  });
  const foreign = plans.filter((p) => p.current !== undefined && !isOwnHook(p.current));
  if (foreign.length > 0 && !options.force) {
    throw new McpGitopsError(
      'ERR_IO',
      `refusing to replace ${foreign.length} hook(s) not installed by mcp-gitops`,
      {
        details: foreign.map((p) => `  existing hook: ${p.file}`),
        hint: 'nothing was written; chain mcp-gitops from your hook, use the pre-commit framework (.pre-commit-hooks.yaml), or pass --force to move the existing hook to <hook>.bak',
      },
    );
  }
  fs.mkdirSync(where.hooksDir, { recursive: true });
  const results: HookResult[] = [];
  for (const p of plans) {
    let action: HookAction = 'installed';
    let backup: string | undefined;
    if (p.current !== undefined && isOwnHook(p.current)) {
      action = p.current === p.text ? 'unchanged' : 'updated';
    } else if (p.current !== undefined) {
      backup = backupPath(p.file);
      fs.renameSync(p.file, backup);
      action = 'replaced';
    }
    if (action !== 'unchanged') fs.writeFileSync(p.file, p.text, { mode: 0o755 });
    fs.chmodSync(p.file, 0o755);
    results.push({ hook: p.hook, path: p.file, action, backup });
  }
  return results;
}
