/**
 * `agent install` / `agent uninstall` effects: write the unit (Linux, systemd user) or the plist
 * (macOS, launchd) under the user's home and ask the service manager to start it. Where no user
 * systemd answers (PID 1 is not systemd: containers, WSL without systemd, these test machines), the
 * unit is still written and the caller is told how to run the agent instead; that is not an error.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { promisify } from 'node:util';
import {
  LAUNCHD_LABEL,
  renderLaunchdPlist,
  renderSystemdUnit,
  type ServiceCommand,
  SYSTEMD_UNIT,
  serviceArgv,
} from './render-service.js';

const exec = promisify(execFile);

export type ServiceKind = 'systemd' | 'launchd';

export function serviceKind(platform: NodeJS.Platform = process.platform): ServiceKind {
  return platform === 'darwin' ? 'launchd' : 'systemd';
}

export function servicePath(kind: ServiceKind, home: string): string {
  return kind === 'launchd'
    ? path.join(home, 'Library', 'LaunchAgents', `${LAUNCHD_LABEL}.plist`)
    : path.join(home, '.config', 'systemd', 'user', SYSTEMD_UNIT);
}

export interface InstallResult {
  kind: ServiceKind;
  file: string;
  /** The service manager took it and started the agent. */
  started: boolean;
  /** What to tell the user (how to start it by hand when the manager is not there). */
  lines: string[];
}

async function run(cmd: string, args: string[]): Promise<{ ok: boolean; out: string }> {
  try {
    const { stdout, stderr } = await exec(cmd, args, { timeout: 20_000 });
    return { ok: true, out: `${stdout}${stderr}`.trim() };
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    return { ok: false, out: (e.stderr ?? e.message).trim() };
  }
}

/** A user systemd that answers: PID 1 is systemd and `systemctl --user` reaches the user manager. */
async function userSystemd(): Promise<boolean> {
  if (!existsSync('/run/systemd/system')) return false;
  return (await run('systemctl', ['--user', 'show-environment'])).ok;
}

export async function installService(input: {
  home: string;
  cmd: ServiceCommand;
  logFile: string;
  platform?: NodeJS.Platform;
}): Promise<InstallResult> {
  const kind = serviceKind(input.platform);
  const file = servicePath(kind, input.home);
  const text =
    kind === 'launchd' ? renderLaunchdPlist(input.cmd, input.logFile) : renderSystemdUnit(input.cmd);
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, text, { mode: 0o644 });
  const manual = `start it by hand (it runs until stopped): ${serviceArgv(input.cmd).map(shellWord).join(' ')}`;
  if (kind === 'launchd') {
    const uid = process.getuid?.() ?? 0;
    await run('launchctl', ['bootout', `gui/${uid}/${LAUNCHD_LABEL}`]);
    const res = await run('launchctl', ['bootstrap', `gui/${uid}`, file]);
    return res.ok
      ? { kind, file, started: true, lines: [`wrote ${file}; launchd started ${LAUNCHD_LABEL}`] }
      : {
          kind,
          file,
          started: false,
          lines: [`wrote ${file}; launchctl bootstrap failed: ${res.out}`, manual],
        };
  }
  if (!(await userSystemd())) {
    return {
      kind,
      file,
      started: false,
      lines: [
        `wrote ${file}`,
        'no user systemd answers on this machine (PID 1 is not systemd), so nothing was started',
        manual,
      ],
    };
  }
  const reload = await run('systemctl', ['--user', 'daemon-reload']);
  const enable = reload.ok ? await run('systemctl', ['--user', 'enable', '--now', SYSTEMD_UNIT]) : reload;
  return enable.ok
    ? {
        kind,
        file,
        started: true,
        lines: [`wrote ${file}; systemd --user enabled and started ${SYSTEMD_UNIT}`],
      }
    : {
        kind,
        file,
        started: false,
        lines: [`wrote ${file}; systemctl --user failed: ${enable.out}`, manual],
      };
}

export async function uninstallService(input: {
  home: string;
  platform?: NodeJS.Platform;
}): Promise<string[]> {
  const kind = serviceKind(input.platform);
  const file = servicePath(kind, input.home);
  const lines: string[] = [];
  if (kind === 'launchd') {
    const uid = process.getuid?.() ?? 0;
    const res = await run('launchctl', ['bootout', `gui/${uid}/${LAUNCHD_LABEL}`]);
    if (res.ok) lines.push(`launchd stopped ${LAUNCHD_LABEL}`);
  } else if (await userSystemd()) {
    const res = await run('systemctl', ['--user', 'disable', '--now', SYSTEMD_UNIT]);
    lines.push(
      res.ok
        ? `systemd --user stopped and disabled ${SYSTEMD_UNIT}`
        : `systemctl --user disable failed: ${res.out}`,
    );
    await run('systemctl', ['--user', 'daemon-reload']);
  } else {
    lines.push('no user systemd answers on this machine: stop a hand-started `agent run` yourself (SIGTERM)');
  }
  if (existsSync(file)) {
    await fs.rm(file, { force: true });
    lines.push(`removed ${file}`);
  } else {
    lines.push(`${file} was not there`);
  }
  return lines;
}

function shellWord(word: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
