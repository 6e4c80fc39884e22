/**
 * Every subcommand lives in its own file in this folder and exports `register(program)`.
 * Add one import and one line below per command.
 */
import type { Command } from 'commander';
import { register as adopt } from './adopt.js';
import { register as agent } from './agent.js';
import { register as apply } from './apply.js';
import { register as clients } from './clients.js';
import { register as drift } from './drift.js';
import { register as fleet } from './fleet.js';
import { register as hooks } from './hooks.js';
import { register as importServer } from './import.js';
import { register as init } from './init.js';
import { register as plan } from './plan.js';
import { register as planPullRequest } from './plan-pull-request.js';
import { register as reconcile } from './reconcile.js';
import { register as resume } from './resume.js';
import { register as rollback } from './rollback.js';
import { register as serve } from './serve.js';
import { register as status } from './status.js';
import { register as suspend } from './suspend.js';
import { register as tools } from './tools.js';
import { register as ui } from './ui.js';
import { register as updates } from './updates.js';
import { register as validate } from './validate.js';
import { register as watch } from './watch.js';

type Register = (program: Command) => void;

const commands: Register[] = [
  init,
  hooks,
  importServer,
  adopt,
  validate,
  plan,
  apply,
  reconcile,
  drift,
  tools,
  updates,
  clients,
  status,
  ui,
  rollback,
  suspend,
  resume,
  serve,
  fleet,
  watch,
  planPullRequest,
  agent,
];

export function registerCommands(program: Command): void {
  for (const register of commands) register(program);
}
