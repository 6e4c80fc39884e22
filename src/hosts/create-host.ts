/**
 * The one place a target's `host` setting becomes a Host. `local` (or no host) is this machine;
 * `ssh://user@host:port` is a remote machine through the OpenSSH client (connects lazily, on the
 * first operation, so an unreachable host fails there and the engine marks that target Stalled).
 */
import { McpGitopsError } from '../core/errors.js';
import type { TargetSpec } from '../core/resources.js';
import type { SecretResolver } from '../secrets/types.js';
import { LocalHost } from './local-host.js';
import { SshHost } from './ssh/ssh-host.js';
import type { Host } from './types.js';

export interface CreateHostOptions {
  /** Resolves an ssh target's `identityFile.ref` (needed unless it is an absolute `file:` ref). */
  secrets?: SecretResolver;
  /** Config repo root: a relative `knownHosts` path resolves against it (default: cwd). */
  repoRoot?: string;
}

export function createHost(
  target: Pick<
    TargetSpec,
    'name' | 'host' | 'home' | 'identityFile' | 'knownHosts' | 'acceptNewHostKey' | 'multiplex'
  >,
  options: CreateHostOptions = {},
): Host {
  const spec = target.host ?? 'local';
  if (spec === 'local') return new LocalHost({ home: target.home });
  if (spec.startsWith('ssh://')) {
    return new SshHost({
      url: spec,
      home: target.home,
      identityRef: target.identityFile?.ref,
      knownHosts: target.knownHosts,
      acceptNewHostKey: target.acceptNewHostKey === true,
      multiplex: target.multiplex !== false,
      secrets: options.secrets,
      repoRoot: options.repoRoot,
    });
  }
  throw new McpGitopsError('ERR_HOST', `target "${target.name}": unknown host "${spec}"`, {
    hint: 'host must be "local" or "ssh://user@host:port"',
  });
}
