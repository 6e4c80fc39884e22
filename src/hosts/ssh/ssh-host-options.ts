/** What an `ssh://` target tells its host (see ssh-host.ts). */
import type { SecretResolver } from '../../secrets/types.js';

export interface SshHostOptions {
  /** `ssh://user@host[:port]`. */
  url: string;
  /** The target's `home` (absolute, or `~/…` against the remote `$HOME`). */
  home?: string;
  /** The target's `identityFile.ref`. */
  identityRef?: string;
  /** The target's `knownHosts` file on this machine (`~/` and absolute; relative to `repoRoot`). */
  knownHosts?: string;
  acceptNewHostKey?: boolean;
  secrets?: SecretResolver;
  repoRoot?: string;
  /** One control master for all commands (default true). */
  multiplex?: boolean;
  /** Default 10 s. */
  connectTimeoutMs?: number;
  /** Per command unless `exec` is given one; default 300 s. */
  commandTimeoutMs?: number;
  /** Idle seconds before an unclosed master exits by itself; default 60. */
  controlPersistSec?: number;
  /** Concurrent commands (sshd's MaxSessions is 10); default 8. */
  maxConcurrent?: number;
}
