/**
 * Per-host connection state, made on first use: a private 0700 directory (control socket, and the
 * identity file when the key comes from a secret) and the settings every ssh invocation uses.
 */
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SecretResolver } from '../../secrets/types.js';
import { defaultHome, expandTilde } from '../local-host.js';
import type { SshAddress } from './parse-ssh-url.js';
import { prepareIdentity } from './prepare-identity.js';
import type { SshConnectionSettings } from './ssh-args.js';

export interface SshSessionOptions {
  address: SshAddress;
  identityRef?: string;
  secrets?: SecretResolver;
  knownHosts?: string;
  repoRoot?: string;
  acceptNewHostKey?: boolean;
  connectTimeoutMs?: number;
  controlPersistSec?: number;
  multiplex: boolean;
}

export interface SshSession {
  /** Private directory, removed on close. */
  dir: string;
  settings: SshConnectionSettings;
}

export async function openSshSession(options: SshSessionOptions): Promise<SshSession> {
  // Unix socket paths are short (~104 bytes): keep the control path near the root of /tmp.
  const base = os.tmpdir().length <= 40 ? os.tmpdir() : '/tmp';
  const dir = await fs.mkdtemp(path.join(base, 'mcpgt-'));
  try {
    await fs.chmod(dir, 0o700);
    const identityFile =
      options.identityRef === undefined
        ? undefined
        : await prepareIdentity(options.identityRef, options.secrets, dir);
    const settings: SshConnectionSettings = {
      address: options.address,
      identityFile,
      knownHostsFile: knownHostsPath(options.knownHosts, options.repoRoot),
      acceptNewHostKey: options.acceptNewHostKey ?? false,
      connectTimeoutSec: connectTimeoutSec(options.connectTimeoutMs),
      serverAliveIntervalSec: 15,
      controlPath: options.multiplex ? path.join(dir, 'cm') : undefined,
      controlPersistSec: options.controlPersistSec ?? 60,
    };
    return { dir, settings };
  } catch (err) {
    await fs.rm(dir, { recursive: true, force: true });
    throw err;
  }
}

/** A target's `knownHosts`: `~/` against this machine's home, relative against the repo root. */
export function knownHostsPath(file: string | undefined, repoRoot: string | undefined): string | undefined {
  if (file === undefined) return undefined;
  return path.resolve(repoRoot ?? process.cwd(), expandTilde(file, defaultHome()));
}

/** Whole seconds for ssh's ConnectTimeout (default 10 s). */
export function connectTimeoutSec(ms: number | undefined): number {
  return Math.max(1, Math.ceil((ms ?? 10_000) / 1000));
}
