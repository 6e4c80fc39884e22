/**
 * `mcp-gitops clients detect [--env E --target T | --home DIR] [--format text|json]`: which MCP
 * clients are installed on a target's host (local or ssh), and the path that says so.
 */
import { type Command, Option } from 'commander';
import type { DetectFlags } from './clients-detect.js';

export function register(program: Command): void {
  const clients = program.command('clients').description('the MCP clients mcp-gitops can write to');
  clients
    .command('detect')
    .description("which MCP clients are installed on a target's host (what `clients: [auto]` resolves to)")
    .option('--env <name>', "the target's environment")
    .option('--target <name>', 'a client-config target: detect on its host (local or ssh)')
    .option('--home <dir>', 'detect under this home directory on this machine (default: yours)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (flags: DetectFlags, cmd: Command) => {
      const { runClientsDetect } = await import('./clients-detect.js');
      await runClientsDetect((cmd.optsWithGlobals() as { repo?: string }).repo, flags);
    });
}
