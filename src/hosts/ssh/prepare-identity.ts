/**
 * The target's `identityFile.ref` → a private key file ssh can read. A `file:` ref with an
 * absolute or `~/` path is given to ssh as is (after the resolver has checked it, which also
 * registers the key for redaction); any other ref is resolved and written to a 0600 file in the
 * host's private directory, removed on close.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { McpGitopsError } from '../../core/errors.js';
import { parseSecretRef } from '../../secrets/resolve-secret.js';
import type { SecretResolver } from '../../secrets/types.js';
import { defaultHome, expandTilde } from '../local-host.js';

export async function prepareIdentity(
  ref: string,
  secrets: SecretResolver | undefined,
  privateDir: string,
): Promise<string> {
  const parsed = parseSecretRef(ref);
  const direct = parsed.scheme === 'file' ? expandTilde(parsed.path, defaultHome()) : undefined;
  if (direct !== undefined && path.isAbsolute(direct)) {
    if (secrets) await secrets.resolve(ref);
    return direct;
  }
  if (!secrets) {
    throw new McpGitopsError('ERR_SECRET', `identityFile "${ref}" needs the run's secret resolver`, {
      hint: 'give createHost the secret resolver, or use an absolute file: reference',
    });
  }
  const key = await secrets.resolve(ref);
  const file = path.join(privateDir, 'identity');
  // Resolvers strip the final newline; OpenSSH refuses a key file without one.
  await fs.writeFile(file, key.endsWith('\n') ? key : `${key}\n`, { mode: 0o600, flag: 'wx' });
  return file;
}
