/**
 * The options every command accepts, read from a subcommand action's `Command`. Kept apart from
 * program.ts so a command file can read them without importing (and so loading) every command.
 */
import type { Command } from 'commander';

export interface GlobalOptions {
  repo?: string;
}

/** The global options, read from a subcommand action's `Command`. */
export function globalOptions(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals() as GlobalOptions;
}
