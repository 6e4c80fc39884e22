/** `mcp-gitops init [DIR]`: scaffold a config repo (DESIGN.md §5). */
import * as path from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_PRESET, listPresets } from '../../init/list-presets.js';

interface InitFlags {
  preset?: string[];
  force?: boolean;
  git?: boolean;
}

function collect(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean),
  ];
}

export function register(program: Command): void {
  program
    .command('init')
    .description('scaffold a config repo: git init, an example server, an environment, policies')
    .argument('[dir]', 'directory to create or fill (default: the current directory)')
    .option(
      '--preset <name>',
      `environment preset, repeatable (${listPresets().join(', ')}; default ${DEFAULT_PRESET})`,
      collect,
    )
    .option('--force', 'overwrite files that already exist')
    .option('--no-git', 'do not run git init or make the first commit')
    .action(async (dir: string | undefined, flags: InitFlags) => {
      // Loaded on use: other commands never pay for the scaffold writer and isomorphic-git.
      const { initRepo } = await import('../../init/init-repo.js');
      const { initSummary } = await import('../../init/init-summary.js');
      const result = await initRepo(path.resolve(dir ?? '.'), {
        presets: flags.preset ?? [],
        force: flags.force === true,
        noGit: flags.git === false,
      });
      process.stdout.write(initSummary(result, process.cwd(), listPresets()));
    });
}
