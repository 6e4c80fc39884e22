/** Desired servers, targets and environments for the kubernetes provider's unit tests. */
import type { ServerSpec, TargetSpec } from '../../../src/core/resources.js';
import type { DesiredEnvironment, DesiredServer, DesiredTarget } from '../../../src/core/state.js';

export const httpSpec = (extra: Partial<ServerSpec> = {}): ServerSpec => ({
  package: {
    registryType: 'oci',
    identifier: 'ghcr.io/acme/search',
    version: '1.4.2',
    packageArguments: ['serve'],
  },
  transport: 'streamable-http',
  port: 8080,
  env: { LOG_LEVEL: 'info', A_FIRST: '1' },
  secrets: [{ name: 'API_TOKEN', ref: 'k8s:search-creds/token' }],
  ...extra,
});

export const desiredServer = (spec: ServerSpec = httpSpec(), name = 'search'): DesiredServer => ({
  name,
  spec,
  specHash: 'sha256:abc',
});

export const targetSpec = (extra: Partial<TargetSpec> = {}): TargetSpec => ({
  name: 'cluster',
  provider: 'kubernetes',
  ...extra,
});

export const desiredTarget = (
  servers: DesiredServer[] = [desiredServer()],
  settings = targetSpec(),
): DesiredTarget => ({
  environment: 'prod',
  name: settings.name,
  provider: 'kubernetes',
  host: 'local',
  settings,
  servers,
});

export const desiredEnvironment = (target: DesiredTarget = desiredTarget()): DesiredEnvironment => ({
  name: 'prod',
  vars: {},
  sync: { drift: 'correct', prune: true, maxDeletions: 10, suspend: false },
  targets: [target],
  fleet: [],
  hooks: [],
});
