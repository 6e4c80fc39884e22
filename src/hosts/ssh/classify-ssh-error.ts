/**
 * ssh exits 255 for its own failures and prints why on stderr. Three reasons need different
 * actions from a person, so each gets its own message and hint: the host cannot be reached, it
 * refused our key, or its host key is not the one the known_hosts file trusts.
 */
import { McpGitopsError } from '../../core/errors.js';

export type SshFailureReason =
  | 'unreachable'
  | 'auth-refused'
  | 'host-key-mismatch'
  | 'host-key-unknown'
  | 'ssh';

/** An ssh connection failure; `reason` says which kind (the engine marks the target Stalled). */
export class SshHostError extends McpGitopsError {
  readonly reason: SshFailureReason;

  constructor(reason: SshFailureReason, message: string, hint: string) {
    super('ERR_HOST', message, { hint });
    this.name = 'SshHostError';
    this.reason = reason;
  }
}

const PATTERNS: readonly [SshFailureReason, RegExp][] = [
  ['host-key-mismatch', /REMOTE HOST IDENTIFICATION HAS CHANGED|Host key for .* has changed/],
  ['host-key-unknown', /No \S+ host key is known for|Host key verification failed/],
  [
    'unreachable',
    /Connection refused|Connection timed out|timed out during banner exchange|No route to host|Network is unreachable|Could not resolve hostname|Connection reset|Connection closed by|kex_exchange_identification|Operation timed out/,
  ],
  ['auth-refused', /Permission denied \(|Too many authentication failures|Authentication failed/],
];

export function classifySshStderr(stderr: string): SshFailureReason | undefined {
  for (const [reason, pattern] of PATTERNS) if (pattern.test(stderr)) return reason;
  return undefined;
}

export interface SshErrorContext {
  url: string;
  knownHostsFile?: string;
  connectTimeoutSec: number;
}

export function sshFailure(reason: SshFailureReason, stderr: string, ctx: SshErrorContext): SshHostError {
  const detail = sshLine(stderr);
  const known = ctx.knownHostsFile ?? 'the default known_hosts files';
  switch (reason) {
    case 'host-key-mismatch':
      return new SshHostError(
        reason,
        `${ctx.url}: the host key does not match the one in ${known}; refused to connect (nothing was run)`,
        `if the host was rebuilt, check its new key fingerprint out of band, then replace its line in ${known}; otherwise treat this as a possible man-in-the-middle`,
      );
    case 'host-key-unknown':
      return new SshHostError(
        reason,
        `${ctx.url}: its host key is not in ${known}; refused to connect (nothing was run)`,
        `add the host's key to ${known} (ssh-keyscan, then check the fingerprint out of band), or set acceptNewHostKey: true on the target to trust it on first use`,
      );
    case 'unreachable':
      return new SshHostError(
        reason,
        `${ctx.url} is unreachable: ${detail || `no answer within ${ctx.connectTimeoutSec}s`}`,
        'check that the host is up, the address and port are right and sshd is listening',
      );
    case 'auth-refused':
      return new SshHostError(
        reason,
        `${ctx.url} refused the login: ${detail || 'authentication failed'}`,
        /bad permissions|UNPROTECTED/.test(stderr)
          ? 'the private key file must not be readable by others (chmod 600)'
          : "check the target's identityFile and that its public key is in the user's authorized_keys on the host",
      );
    case 'ssh':
      return new SshHostError(
        reason,
        `${ctx.url}: ssh failed: ${detail || 'exit code 255'}`,
        /not installed/.test(stderr)
          ? 'install the OpenSSH client on the machine that runs mcp-gitops (Debian: openssh-client)'
          : 'run the same ssh command by hand with -v to see why',
      );
  }
}

/** The most telling line of ssh's stderr (its last non-empty line, without the banner art). */
function sshLine(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('@'));
  const specific = lines.find((l) => /^ssh: |Permission denied|Connection|Load key/.test(l));
  return specific ?? lines[lines.length - 1] ?? '';
}
