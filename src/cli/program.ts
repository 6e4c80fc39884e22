import { Command } from 'commander';
import { registerCommands } from './commands/index.js';

export { type GlobalOptions, globalOptions } from './global-options.js';

export function buildProgram(): Command {
  const program = new Command('mcp-gitops')
    .description('Keeps MCP servers in the state a git repository declares')
    .version(process.env.npm_package_version ?? '0.1.0')
    .option('--repo <dir>', 'config repo work tree (default: the current git work tree)')
    .showHelpAfterError()
    .exitOverride();
  registerCommands(program);
  return program;
}
