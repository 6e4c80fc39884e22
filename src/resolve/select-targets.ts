/**
 * Which targets of an environment a server goes to: the entry's `targets:` when given, otherwise
 * every target whose provider supports the server (`supports` comes from the provider registry;
 * without it, every target).
 */
import { McpGitopsError } from '../core/errors.js';
import type { EnvironmentServer, ServerSpec, TargetSpec } from '../core/resources.js';

export type SupportsFn = (server: ServerSpec, target: TargetSpec) => boolean;

export function selectTargets(
  environment: string,
  entry: EnvironmentServer,
  spec: ServerSpec,
  targets: readonly TargetSpec[],
  supports?: SupportsFn,
): TargetSpec[] {
  if (entry.targets) {
    return entry.targets.map((name) => {
      const target = targets.find((t) => t.name === name);
      if (!target) {
        throw new McpGitopsError(
          'ERR_INVALID_CONFIG',
          `environment ${environment}: server ${entry.name} lists target "${name}", which the environment does not define`,
          { hint: `defined targets: ${targets.map((t) => t.name).join(', ')}` },
        );
      }
      return target;
    });
  }
  return supports ? targets.filter((t) => supports(spec, t)) : [...targets];
}
