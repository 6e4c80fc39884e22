/**
 * `mcp-gitops tools show SERVER [--env E] [--format text|json]`: the server's surface as it is now
 * (verified live on the first target that runs it) and whether it matches the committed lock,
 * naming the tools that differ. Reads the working tree's config and lock files; writes nothing.
 */
import { McpGitopsError } from '../../core/errors.js';
import { compareToLock, findLock } from '../../surface/lock/index.js';
import { renderShowJson, renderShowText, type ShowInput } from './tools-format.js';
import { instancesOf, LiveVerifier, loadForTools } from './tools-live.js';

export interface ShowFlags {
  env?: string;
  format: 'text' | 'json';
}

export async function runToolsShow(root: string, server: string, flags: ShowFlags): Promise<void> {
  const { config, desired } = await loadForTools(root, flags.env);
  const instance = instancesOf(desired, server)[0];
  if (!instance) throw new McpGitopsError('ERR_USAGE', `no target runs server "${server}"`);
  const verifier = new LiveVerifier(root, desired);
  const { result } = await verifier.verify(instance).finally(() => verifier.close());
  if (!result.surface) {
    throw new McpGitopsError(
      'ERR_PROVIDER',
      `${server} on ${instance.environment}/${instance.target} did not list its tools: ${result.error ?? result.health}`,
      { hint: 'the server must be running (mcp-gitops reconcile) and answer the MCP handshake' },
    );
  }
  const found = findLock(config, server, instance.version);
  const input: ShowInput = {
    server,
    version: instance.version,
    environment: instance.environment,
    target: instance.target,
    surface: result.surface,
    ...(result.identity ? { identity: result.identity } : {}),
    ...(found
      ? { lock: { file: found.file, comparison: compareToLock(found.surface, result.surface) } }
      : {}),
  };
  process.stdout.write(flags.format === 'json' ? renderShowJson(input) : renderShowText(input));
  if (!result.ok) process.stderr.write(`warning: verification failed: ${result.error ?? result.health}\n`);
}
