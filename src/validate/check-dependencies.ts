/** `dependsOn` names existing servers, and the graph has no cycles (the cycle path is reported). */

import { didYouMean } from '../config/suggest-name.js';
import type { LoadedDocument } from '../core/config-set.js';
import type { Diagnostic } from '../core/diagnostics.js';
import type { ServerResource } from '../core/resources.js';
import { diagnosticAt } from './diagnostic-at.js';

export function checkDependencies(
  servers: readonly LoadedDocument<ServerResource>[],
  serverNames: ReadonlySet<string>,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const byName = new Map<string, LoadedDocument<ServerResource>>();
  for (const doc of servers) if (!byName.has(doc.name)) byName.set(doc.name, doc);

  for (const doc of byName.values()) {
    (doc.value.spec.dependsOn ?? []).forEach((dep, j) => {
      if (dep === doc.name) {
        out.push(
          diagnosticAt(
            doc,
            ['spec', 'dependsOn', j],
            `server "${doc.name}" depends on itself`,
            'dependency-cycle',
          ),
        );
      } else if (!serverNames.has(dep)) {
        out.push(
          diagnosticAt(
            doc,
            ['spec', 'dependsOn', j],
            `dependsOn names unknown server "${dep}"${didYouMean(dep, serverNames)}`,
            'unknown-dependency',
          ),
        );
      }
    });
  }

  // Depth-first search in name order; each cycle is reported once, at the edge that closes it
  // from its alphabetically first member.
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const reported = new Set<string>();
  const visit = (name: string) => {
    state.set(name, 'visiting');
    stack.push(name);
    const doc = byName.get(name);
    (doc?.value.spec.dependsOn ?? []).forEach((dep) => {
      if (dep === name || !byName.has(dep)) return;
      if (state.get(dep) === 'visiting') {
        const cycle = stack.slice(stack.indexOf(dep));
        const first = [...cycle].sort()[0];
        const start = cycle.indexOf(first);
        const ordered = [...cycle.slice(start), ...cycle.slice(0, start)];
        const key = ordered.join('\0');
        if (reported.has(key)) return;
        reported.add(key);
        const from = byName.get(first)!;
        const next = ordered[1 % ordered.length];
        const index = (from.value.spec.dependsOn ?? []).indexOf(next);
        out.push(
          diagnosticAt(
            from,
            ['spec', 'dependsOn', index],
            `dependsOn cycle: ${[...ordered, first].join(' → ')}`,
            'dependency-cycle',
          ),
        );
      } else if (!state.has(dep)) {
        visit(dep);
      }
    });
    stack.pop();
    state.set(name, 'done');
  };
  for (const name of [...byName.keys()].sort()) if (!state.has(name)) visit(name);
  return out;
}
