/** Hand-built desired states for engine unit tests (the loader and resolver have their own tests). */
import type { HookResource, ServerSpec } from '../../src/core/resources.js';
import type { DesiredServer, DesiredState, ResolvedSync } from '../../src/core/state.js';
import { specHash } from '../../src/resolve/normalize-server.js';

export function server(name: string, spec: Partial<ServerSpec> = {}): DesiredServer {
  const full: ServerSpec = { transport: 'stdio', command: { path: `/bin/${name}` }, ...spec };
  return { name, spec: full, specHash: specHash(full) };
}

export function desiredState(
  targets: Record<string, DesiredServer[]>,
  options: { env?: string; sync?: Partial<ResolvedSync>; hooks?: HookResource[]; provider?: string } = {},
): DesiredState {
  const env = options.env ?? 'dev';
  return {
    repository: {
      name: 'test',
      branch: 'main',
      reportsDir: 'reports',
      tagPrefix: '{{environment.name}}/v',
      author: { name: 'mcp-gitops', email: 'mcp-gitops@localhost' },
    },
    environments: [
      {
        name: env,
        vars: {},
        sync: { drift: 'correct', prune: true, maxDeletions: 3, suspend: false, ...options.sync },
        fleet: [],
        hooks: options.hooks ?? [],
        targets: Object.entries(targets).map(([name, servers]) => ({
          environment: env,
          name,
          provider: options.provider ?? 'memory',
          host: 'local',
          settings: { name, provider: options.provider ?? 'memory' },
          servers,
        })),
      },
    ],
  };
}
