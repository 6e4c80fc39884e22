/**
 * `mcp-gitops tools`: the tool surface of servers (what they offer the model) and its lock in git.
 * `tools lock` writes `tool-locks/<server>/<version>.yaml` from a live verification; `tools show`
 * prints a live surface and compares it with the lock. See docs/tool-locks.md.
 */
import { type Command, Option } from 'commander';
import type { LockFlags } from './tools-lock.js';
import type { ShowFlags } from './tools-show.js';

function repoOf(cmd: Command): string | undefined {
  return (cmd.optsWithGlobals() as { repo?: string }).repo;
}

export function register(program: Command): void {
  const tools = program
    .command('tools')
    .description('the tool surface servers offer the model, and its reviewed lock in the config repo');
  tools
    .command('lock')
    .description(
      'verify servers live and write their lock files (tool-locks/<server>/<version>.yaml) into the working tree for review',
    )
    .argument('[server]', 'only this server (default: every server of the selected environments)')
    .option(
      '--env <name>',
      'only servers of this environment; each version is verified on the first target that runs it',
    )
    .option('--commit', 'commit the lock files that changed (only those files)')
    .addHelpText(
      'after',
      '\nEach server version is verified on the first target (in repo order) that runs it. Review the diff, then commit.',
    )
    .action(async (server: string | undefined, flags: LockFlags, cmd: Command) => {
      const [{ resolveRepoOption }, { runToolsLock }] = await Promise.all([
        import('../../config/find-repo-root.js'),
        import('./tools-lock.js'),
      ]);
      await runToolsLock(resolveRepoOption(repoOf(cmd)), server, flags);
    });
  tools
    .command('show')
    .description("verify a server live, print its tool surface and whether it matches the server's lock")
    .argument('<server>', 'the server')
    .option('--env <name>', 'the environment (default: the first that runs the server)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (server: string, flags: ShowFlags, cmd: Command) => {
      const [{ resolveRepoOption }, { runToolsShow }] = await Promise.all([
        import('../../config/find-repo-root.js'),
        import('./tools-show.js'),
      ]);
      await runToolsShow(resolveRepoOption(repoOf(cmd)), server, flags);
    });
}
