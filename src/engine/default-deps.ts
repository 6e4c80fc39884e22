/** The real world the engine runs against: registered providers, hosts, MCP verification, secrets. */
import { createHost } from '../hosts/create-host.js';
import { createLogger } from '../log/logger.js';
import { getProvider } from '../providers/registry.js';
import { createSecretResolver } from '../secrets/resolve-secret.js';
import type { EngineDeps } from './types.js';

export function createEngineDeps(root: string, overrides: Partial<EngineDeps> = {}): EngineDeps {
  const deps: EngineDeps = {
    provider: getProvider,
    // ssh targets resolve identityFile refs with the run's resolver and relative knownHosts in the repo.
    createHost: (target) => createHost(target, { secrets: deps.secrets, repoRoot: root }),
    // The MCP SDK (and zod) load on the first verification: plan and drift never verify.
    verify: async (endpoint, health, options) => {
      const { verifyServer } = await import('../verify/verify-server.js');
      return verifyServer(endpoint, health, options);
    },
    // One resolver per run; it registers every value it returns with the one redactor.
    secrets: createSecretResolver({ repoRoot: root }),
    logger: createLogger(),
    ...overrides,
  };
  return deps;
}
