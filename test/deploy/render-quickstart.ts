/**
 * A quickstart server rendered by the kubernetes provider's own renderManifests, from YAML a user
 * could write: the quickstart's Repository and the server's file, plus an Environment with a
 * kubernetes target. The config must validate first (schemas, placement checks), then it is
 * resolved as the engine resolves it, so the tests run exactly what a reconcile would apply.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type RenderedManifests, renderManifests } from '../../src/providers/kubernetes/render-manifests.js';
import { resolveDesiredState } from '../../src/resolve/index.js';
import { validateConfig } from '../../src/validate/validate-config.js';
import { configFromYaml } from '../resolve/config-from-yaml.js';

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

export function quickstartServerFile(name: string): string {
  return path.join(ROOT, 'examples/quickstart/servers', `${name}.yaml`);
}

/**
 * `server` (a quickstart server's name) on target `cluster` of environment `prod`, in
 * `namespace`; `overrides` is the YAML flow mapping of the environment entry's overrides.
 */
export function renderQuickstartServer(
  server: string,
  namespace: string,
  overrides?: string,
): RenderedManifests {
  const environmentYaml = `
apiVersion: mcp-gitops/v1
kind: Environment
metadata: { name: prod }
spec:
  targets:
    - name: cluster
      provider: kubernetes
      namespace: ${namespace}
  servers:
    - name: ${server}
      targets: [cluster]
${overrides ? `      overrides: ${overrides}\n` : ''}`;
  const config = configFromYaml({
    'mcp-gitops.yaml': fs.readFileSync(path.join(ROOT, 'examples/quickstart/mcp-gitops.yaml'), 'utf8'),
    [`servers/${server}.yaml`]: fs.readFileSync(quickstartServerFile(server), 'utf8'),
    'environments/prod.yaml': environmentYaml,
  });
  assert.deepEqual(
    validateConfig(config).map((d) => d.message),
    [],
  );
  const environment = resolveDesiredState(config).environments[0];
  const target = environment?.targets[0];
  const desired = target?.servers[0];
  assert.ok(environment && target && desired, `${server} resolves onto the kubernetes target`);
  return renderManifests(desired, target, environment);
}
