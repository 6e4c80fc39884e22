/** `mcp-gitops init [DIR]`: scaffold a config repo (DESIGN.md §5). */
import * as path from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_PRESET, listPresets } from '../../init/list-presets.js';
import { SCHEMAS_DIR } from '../../init/schema-modeline.js';

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
      const target = path.resolve(dir ?? '.');
      const result = await initRepo(target, {
        presets: flags.preset ?? [],
        force: flags.force === true,
        noGit: flags.git === false,
      });
      const out: string[] = [`Created an mcp-gitops config repo in ${result.dir}`];
      for (const file of result.written.filter((f) => !f.startsWith(`${SCHEMAS_DIR}/`)))
        out.push(`  ${file}`);
      out.push(`  ${SCHEMAS_DIR}/ (schemas for editors)`);
      for (const file of result.kept) out.push(`  ${file} (existing file kept)`);
      if (result.commit)
        out.push(`git: new repository on branch main, first commit ${result.commit.slice(0, 7)}`);
      else out.push('git: files written, not committed (review them, then git add and git commit)');
      const rel = path.relative(process.cwd(), result.dir);
      out.push('', 'Next steps:');
      if (rel) out.push(`  cd ${rel.startsWith('..') ? result.dir : rel}`);
      out.push(
        '  mcp-gitops validate          # check every file',
        '  mcp-gitops hooks install     # validate on every commit and push',
        '  mcp-gitops plan              # see what would change on the targets',
        '',
        `Presets: ${listPresets().join(', ')} (add one with --preset NAME)`,
      );
      process.stdout.write(`${out.join('\n')}\n`);
    });
}
