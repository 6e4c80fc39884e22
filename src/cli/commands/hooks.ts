/** `mcp-gitops hooks install [--pre-commit] [--pre-push] [--force]` (DESIGN.md §5). */
import type { Command } from 'commander';
import { GIT_HOOKS, type GitHookName } from '../../hooks-install/render-hook.js';
import { binScript } from '../../init/product-paths.js';
import { globalOptions } from '../global-options.js';

interface InstallFlags {
  preCommit?: boolean;
  prePush?: boolean;
  force?: boolean;
}

export function register(program: Command): void {
  const hooks = program
    .command('hooks')
    .description('git hooks that validate before anything leaves the laptop');
  hooks
    .command('install')
    .description('install pre-commit (validate --staged) and pre-push (validate each pushed revision) hooks')
    .option('--pre-commit', 'install the pre-commit hook (default: both)')
    .option('--pre-push', 'install the pre-push hook (default: both)')
    .option('--force', 'replace hooks not installed by mcp-gitops, keeping them as <hook>.bak')
    .action(async (flags: InstallFlags, cmd: Command) => {
      // Loaded on use: other commands never pay for isomorphic-git.
      const { installHooks } = await import('../../hooks-install/install-hooks.js');
      const chosen: GitHookName[] = [];
      if (flags.preCommit) chosen.push('pre-commit');
      if (flags.prePush) chosen.push('pre-push');
      const results = await installHooks(globalOptions(cmd).repo ?? process.cwd(), {
        hooks: chosen.length > 0 ? chosen : GIT_HOOKS,
        force: flags.force === true,
        node: process.execPath,
        bin: binScript(),
      });
      for (const r of results) {
        const moved = r.backup ? ` (previous hook kept as ${r.backup})` : '';
        process.stdout.write(`${r.hook}: ${r.action} ${r.path}${moved}\n`);
      }
    });
}
