/** `agent install` and `agent uninstall`: see agent.ts and src/fleet/agent/install-service.ts. */
import * as path from 'node:path';
import { defaultAgentStateDir } from '../../fleet/agent/agent-files.js';
import { installService, servicePath, uninstallService } from '../../fleet/agent/install-service.js';
import { pruneAgent } from '../../fleet/agent/prune-agent.js';
import {
  renderLaunchdPlist,
  renderSystemdUnit,
  type ServiceCommand,
} from '../../fleet/agent/render-service.js';
import { defaultHome } from '../../hosts/local-host.js';
import { binScript } from '../../init/product-paths.js';
import { redactor } from '../../log/redact.js';
import { EXIT_ERROR } from '../exit-codes.js';
import { parseDuration } from '../parse-duration.js';

export interface InstallFlags {
  print?: boolean;
  interval: string;
  stateDir?: string;
}

export interface UninstallFlags {
  prune?: boolean;
  stateDir?: string;
}

function say(line: string): void {
  process.stdout.write(`${redactor.redact(line)}\n`);
}

export function serviceCommand(flags: InstallFlags): ServiceCommand {
  parseDuration(flags.interval, '--interval');
  const args = ['--interval', flags.interval];
  if (flags.stateDir) args.push('--state-dir', path.resolve(flags.stateDir));
  return { node: process.execPath, cli: binScript(), args };
}

export async function runInstall(flags: InstallFlags): Promise<void> {
  const cmd = serviceCommand(flags);
  const home = defaultHome();
  const stateDir = path.resolve(flags.stateDir ?? defaultAgentStateDir());
  const logFile = path.join(stateDir, 'agent.log');
  if (flags.print) {
    process.stdout.write(`# ${servicePath('systemd', home)}\n${renderSystemdUnit(cmd)}\n`);
    process.stdout.write(`# ${servicePath('launchd', home)}\n${renderLaunchdPlist(cmd, logFile)}`);
    return;
  }
  const result = await installService({ home, cmd, logFile });
  for (const line of result.lines) say(line);
}

export async function runUninstall(flags: UninstallFlags): Promise<void> {
  for (const line of await uninstallService({ home: defaultHome() })) say(line);
  if (!flags.prune) return;
  const stateDir = flags.stateDir ?? defaultAgentStateDir();
  const pruned = await pruneAgent(stateDir);
  say(
    pruned.removed.length > 0
      ? `removed the agent's client entries: ${pruned.removed.join(', ')}`
      : 'no client entries of the agent were left to remove',
  );
  if (pruned.failed.length > 0) {
    say(`could not remove: ${pruned.failed.join(', ')}; ${stateDir} is kept so a second try can`);
    process.exitCode = EXIT_ERROR;
  } else say(`removed ${stateDir}`);
}
