/**
 * Pure validation of servers placed on kubernetes targets, at the YAML that says so: a server the
 * provider cannot run there (stdio, no oci image, no port) is an error at the Server's file when an
 * environment names a kubernetes target for it (or has nothing but kubernetes targets, so it would
 * run nowhere), naming the environment and target; and on a kubernetes target every secret must
 * be a `k8s:SECRET/KEY` reference (any other value would have to be written into an object). The
 * message names a secret's variable and scheme, never the reference's path.
 */
import type { ConfigSet, LoadedDocument } from '../../core/config-set.js';
import type { Diagnostic } from '../../core/diagnostics.js';
import type { EnvironmentResource, ServerResource, TargetSpec } from '../../core/resources.js';
import { mergedServerSpec } from '../../resolve/resolve-environment-server.js';
import { diagnosticAt } from '../../validate/diagnostic-at.js';
import { secretKeyRef, unsupportedReason } from './render-manifests.js';

const PROVIDER = 'kubernetes';

export function checkKubernetesPlacements(config: ConfigSet): Diagnostic[] {
  const out: Diagnostic[] = [];
  const servers = new Map<string, LoadedDocument<ServerResource>>();
  for (const doc of config.servers as LoadedDocument<ServerResource>[]) {
    const name = doc.value?.metadata?.name;
    if (typeof name === 'string') servers.set(name, doc);
  }
  for (const envDoc of config.environments as LoadedDocument<EnvironmentResource>[]) {
    const env = envDoc.value;
    const targets = env?.spec?.targets ?? [];
    if (!targets.some((t) => t.provider === PROVIDER)) continue;
    (env.spec.servers ?? []).forEach((entry, i) => {
      const serverDoc = servers.get(entry.name);
      if (!serverDoc?.value?.spec) return;
      const spec = mergedServerSpec(serverDoc.value, entry);
      const placed: TargetSpec[] = entry.targets
        ? targets.filter((t) => t.provider === PROVIDER && entry.targets?.includes(t.name))
        : targets.filter((t) => t.provider === PROVIDER);
      const onlyKube = targets.every((t) => t.provider === PROVIDER);
      for (const target of placed) {
        const reason = unsupportedReason(entry.name, spec, target.name);
        if (reason) {
          if (entry.targets || onlyKube) {
            out.push(
              diagnosticAt(
                serverDoc,
                ['spec', 'transport'],
                `environment "${env.metadata.name}": ${reason}`,
                'kubernetes-unsupported',
              ),
            );
          }
          continue;
        }
        const fromOverrides = entry.overrides?.secrets !== undefined;
        (spec.secrets ?? []).forEach((binding, j) => {
          if (typeof binding.ref !== 'string' || binding.ref.includes('{{') || secretKeyRef(binding.ref))
            return;
          const colon = binding.ref.indexOf(':');
          const scheme = colon > 0 ? `${binding.ref.slice(0, colon)}:` : 'a plain value';
          const message =
            `environment "${env.metadata.name}": secret ${binding.name} of server "${entry.name}" is ${scheme} on kubernetes target "${target.name}"; ` +
            'use k8s:SECRET/KEY (a Secret that already exists in the namespace): mcp-gitops never writes secret values into objects';
          out.push(
            fromOverrides
              ? diagnosticAt(
                  envDoc,
                  ['spec', 'servers', i, 'overrides', 'secrets', j, 'ref'],
                  message,
                  'kubernetes-secret-ref',
                )
              : diagnosticAt(serverDoc, ['spec', 'secrets', j, 'ref'], message, 'kubernetes-secret-ref'),
          );
        });
      }
    });
  }
  return out;
}
