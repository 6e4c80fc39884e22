/**
 * What environments point at must exist: servers by name, targets by name within the environment,
 * providers by id (and a provider's own checks of its target settings). Target and server names
 * are unique within an environment.
 */

import { didYouMean } from '../config/suggest-name.js';
import type { LoadedDocument } from '../core/config-set.js';
import type { Diagnostic } from '../core/diagnostics.js';
import type { EnvironmentResource } from '../core/resources.js';
import { getProvider, hasProvider, providerIds } from '../providers/registry.js';
import { diagnosticAt } from './diagnostic-at.js';

export function checkEnvironmentRefs(
  env: LoadedDocument<EnvironmentResource>,
  serverNames: ReadonlySet<string>,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const { targets, servers } = env.value.spec;
  const where = (path: (string | number)[]) => {
    const loc = env.locate(path);
    return `line ${loc.line}`;
  };

  const targetIndex = new Map<string, number>();
  targets.forEach((target, i) => {
    const earlier = targetIndex.get(target.name);
    if (earlier !== undefined) {
      out.push(
        diagnosticAt(
          env,
          ['spec', 'targets', i, 'name'],
          `duplicate target "${target.name}" in environment "${env.name}": already defined at ${where(['spec', 'targets', earlier, 'name'])}`,
          'duplicate-name',
        ),
      );
    } else {
      targetIndex.set(target.name, i);
    }
    if (!hasProvider(target.provider)) {
      const ids = providerIds();
      out.push(
        diagnosticAt(
          env,
          ['spec', 'targets', i, 'provider'],
          `unknown provider "${target.provider}"${didYouMean(target.provider, ids)}: available providers are ${ids.join(', ') || '(none)'}`,
          'unknown-provider',
        ),
      );
      return;
    }
    let messages: string[];
    try {
      messages = getProvider(target.provider).validateTarget(target);
    } catch (err) {
      messages = [err instanceof Error ? err.message : String(err)];
    }
    for (const message of messages) {
      out.push(
        diagnosticAt(env, ['spec', 'targets', i], `target "${target.name}": ${message}`, 'target-settings'),
      );
    }
  });

  const serverIndex = new Map<string, number>();
  servers.forEach((entry, i) => {
    const earlier = serverIndex.get(entry.name);
    if (earlier !== undefined) {
      out.push(
        diagnosticAt(
          env,
          ['spec', 'servers', i, 'name'],
          `server "${entry.name}" is listed twice in environment "${env.name}": first at ${where(['spec', 'servers', earlier, 'name'])}`,
          'duplicate-name',
        ),
      );
    } else {
      serverIndex.set(entry.name, i);
    }
    if (!serverNames.has(entry.name)) {
      out.push(
        diagnosticAt(
          env,
          ['spec', 'servers', i, 'name'],
          `unknown server "${entry.name}"${didYouMean(entry.name, serverNames)}: no Server resource has this name`,
          'unknown-server',
        ),
      );
    }
    (entry.targets ?? []).forEach((name, j) => {
      if (targetIndex.has(name)) return;
      const names = [...targetIndex.keys()];
      out.push(
        diagnosticAt(
          env,
          ['spec', 'servers', i, 'targets', j],
          `unknown target "${name}"${didYouMean(name, names)}: environment "${env.name}" has targets ${names.join(', ') || '(none)'}`,
          'unknown-target',
        ),
      );
    });
    (entry.overrides?.dependsOn ?? []).forEach((dep, j) => {
      if (serverNames.has(dep)) return;
      out.push(
        diagnosticAt(
          env,
          ['spec', 'servers', i, 'overrides', 'dependsOn', j],
          `dependsOn names unknown server "${dep}"${didYouMean(dep, serverNames)}`,
          'unknown-dependency',
        ),
      );
    });
  });
  return out;
}
