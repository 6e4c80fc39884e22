import { Command } from 'commander';
import { productVersion } from '../init/product-paths.js';
import { registerCommands } from './commands/index.js';

export { type GlobalOptions, globalOptions } from './global-options.js';

export function buildProgram(): Command {
  const program = new Command('mcp-gitops')
    .description('Keeps MCP servers in the state a git repository declares')
    .version(productVersion())
    .option('--repo <dir>', 'config repo work tree (default: the current git work tree)')
    .showHelpAfterError()
    .exitOverride();
  registerCommands(program);
  return program;
}
