/** `mcp-gitops adopt --env E --target T`: hand-made client entries → Server YAML and placement, for review. */
import type { Command } from 'commander';
import { globalOptions } from '../global-options.js';

interface AdoptFlags {
  env: string;
  target: string;
  client?: string;
  dryRun?: boolean;
}

export function register(program: Command): void {
  program
    .command('adopt')
    .description("turn a client-config target's hand-made MCP entries into Server YAML in the working tree")
    .requiredOption('--env <name>', 'environment the target belongs to')
    .requiredOption('--target <name>', 'client-config target whose client files are read')
    .option('--client <id>', "only this client (default: the target's clients)")
    .option('--dry-run', 'print what would be written; write nothing')
    .action(async (flags: AdoptFlags, command: Command) => {
      const [{ adopt }, { resolveRepoOption }] = await Promise.all([
        import('../../adopt/adopt.js'),
        import('../../config/find-repo-root.js'),
      ]);
      const root = resolveRepoOption(globalOptions(command).repo);
      process.exitCode = await adopt(
        { root, env: flags.env, target: flags.target, client: flags.client, dryRun: flags.dryRun },
        (line) => process.stdout.write(`${line}\n`),
      );
    });
}
