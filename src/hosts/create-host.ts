/**
 * The one place a target's `host` setting becomes a Host. `local` (or no host) is this machine;
 * `ssh://` hosts are not supported by this version: the error says so, and the engine marks the
 * target Stalled with that reason while the other targets still converge.
 */
import { McpGitopsError } from '../core/errors.js';
import type { TargetSpec } from '../core/resources.js';
import { LocalHost } from './local-host.js';
import type { Host } from './types.js';

export function createHost(target: Pick<TargetSpec, 'name' | 'host' | 'home'>): Host {
  const spec = target.host ?? 'local';
  if (spec === 'local') return new LocalHost({ home: target.home });
  if (spec.startsWith('ssh://')) {
    throw new McpGitopsError(
      'ERR_HOST',
      `target "${target.name}": ssh hosts are not supported by this version (host ${spec})`,
      { hint: 'use host: local for this target, or run mcp-gitops on that machine' },
    );
  }
  throw new McpGitopsError('ERR_HOST', `target "${target.name}": unknown host "${spec}"`, {
    hint: 'host must be "local" or "ssh://user@host:port"',
  });
}
