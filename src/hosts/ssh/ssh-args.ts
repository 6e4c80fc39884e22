/**
 * The OpenSSH client's argument vector for one host: no user or system ssh_config (`-F none`, so
 * a run behaves the same on every machine), batch mode, timeouts, the identity, strict host key
 * checking against the target's known_hosts file and, when multiplexing, one control socket.
 */
import { McpGitopsError } from '../../core/errors.js';
import type { SshAddress } from './parse-ssh-url.js';

export interface SshConnectionSettings {
  address: SshAddress;
  /** Local path of the private key; undefined lets ssh use its defaults (agent, ~/.ssh/id_*). */
  identityFile?: string;
  /** Local known_hosts file; undefined means ssh's default files (still checked strictly). */
  knownHostsFile?: string;
  /** Trust a host's key on first connection and record it (`StrictHostKeyChecking=accept-new`). */
  acceptNewHostKey: boolean;
  connectTimeoutSec: number;
  serverAliveIntervalSec: number;
  /** Control socket for multiplexing; undefined turns multiplexing off. */
  controlPath?: string;
  controlPersistSec: number;
}

export function sshOptions(s: SshConnectionSettings): string[] {
  const o = (option: string) => ['-o', option];
  const args = [
    '-F',
    'none',
    '-T',
    ...o('BatchMode=yes'),
    ...o('LogLevel=ERROR'),
    ...o(`ConnectTimeout=${s.connectTimeoutSec}`),
    ...o(`ServerAliveInterval=${s.serverAliveIntervalSec}`),
    ...o('ServerAliveCountMax=3'),
    ...o(`StrictHostKeyChecking=${s.acceptNewHostKey ? 'accept-new' : 'yes'}`),
    ...o('UpdateHostKeys=no'),
    ...o('CheckHostIP=no'),
    ...o('ForwardAgent=no'),
    ...o('ClearAllForwardings=yes'),
    ...o('PermitLocalCommand=no'),
  ];
  if (s.knownHostsFile !== undefined) {
    args.push(...o(`UserKnownHostsFile=${configValue(s.knownHostsFile)}`));
    args.push(...o('GlobalKnownHostsFile=/dev/null'));
  }
  if (s.identityFile !== undefined) {
    args.push('-i', escapePercent(s.identityFile), ...o('IdentitiesOnly=yes'));
  }
  if (s.controlPath !== undefined) {
    args.push(...o('ControlMaster=auto'));
    args.push(...o(`ControlPath=${configValue(s.controlPath)}`));
    args.push(...o(`ControlPersist=${s.controlPersistSec}`));
  } else {
    args.push(...o('ControlMaster=no'), ...o('ControlPath=none'));
  }
  args.push('-p', String(s.address.port), '-l', s.address.user);
  return args;
}

/** `ssh … -- host 'remote command line'`. */
export function sshCommandArgs(s: SshConnectionSettings, remoteCommand: string): string[] {
  return [...sshOptions(s), '--', s.address.host, remoteCommand];
}

/** `ssh … -O check|exit -- host`: ask the control master. */
export function sshControlArgs(s: SshConnectionSettings, operation: 'check' | 'exit'): string[] {
  return [...sshOptions(s), '-O', operation, '--', s.address.host];
}

/**
 * `ssh … -O forward|cancel -L SPEC -- host`: add or remove a local forward on the running control
 * master. `ClearAllForwardings` is turned off for this one request only: with it, ssh drops the
 * `-L` before sending it to the master.
 */
export function sshForwardArgs(
  s: SshConnectionSettings,
  operation: 'forward' | 'cancel',
  spec: string,
): string[] {
  const options = sshOptions(s).map((a) => (a === 'ClearAllForwardings=yes' ? 'ClearAllForwardings=no' : a));
  return [...options, '-O', operation, '-L', spec, '--', s.address.host];
}

/** ssh expands `%` tokens in file options: a literal `%` is `%%`. */
function escapePercent(value: string): string {
  return value.replaceAll('%', '%%');
}

/** A file path as an `-o Key=value` value: `%` escaped, double-quoted when it has spaces. */
function configValue(file: string): string {
  if (/["\n\r]/.test(file)) {
    throw new McpGitopsError('ERR_HOST', `path ${JSON.stringify(file)} cannot be given to ssh`, {
      hint: 'use a path without double quotes or line breaks',
    });
  }
  const escaped = escapePercent(file);
  return /\s/.test(escaped) ? `"${escaped}"` : escaped;
}
