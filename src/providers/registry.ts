/**
 * The one registry of providers, keyed by id (Renovate's platform map). Each provider is a folder
 * `src/providers/<id>/` whose `index.ts` exports it; add it to the list below.
 */
import { McpGitopsError } from '../core/errors.js';
import { clientConfigProvider } from './client-config/index.js';
import { containerProvider } from './container/index.js';
import { kubernetesProvider } from './kubernetes/index.js';
import { processProvider } from './process/index.js';
import type { Provider } from './types.js';

const all: Provider[] = [clientConfigProvider, containerProvider, kubernetesProvider, processProvider];

const registry: ReadonlyMap<string, Provider> = new Map(all.map((p) => [p.id, p]));

export function providerIds(): string[] {
  return [...registry.keys()].sort();
}

export function hasProvider(id: string): boolean {
  return registry.has(id);
}

export function getProvider(id: string): Provider {
  const provider = registry.get(id);
  if (!provider) {
    throw new McpGitopsError('ERR_PROVIDER', `unknown provider "${id}"`, {
      hint: `valid providers: ${providerIds().join(', ')}`,
    });
  }
  return provider;
}
