/**
 * Every subcommand lives in its own file in this folder and exports `register(program)`.
 * Add one import and one line below per command.
 */
import type { Command } from 'commander';
import { register as hooks } from './hooks.js';
import { register as importServer } from './import.js';
import { register as init } from './init.js';
import { register as validate } from './validate.js';

type Register = (program: Command) => void;

const commands: Register[] = [init, hooks, importServer, validate];

export function registerCommands(program: Command): void {
  for (const register of commands) register(program);
}
