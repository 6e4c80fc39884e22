/**
 * Exactly one Repository resource, in `mcp-gitops.yaml` at the repo root, and every policy it
 * enables by name is a built-in one.
 */

import { REPOSITORY_FILE } from '../config/repo-layout.js';
import { didYouMean } from '../config/suggest-name.js';
import type { ConfigSet, LoadedDocument } from '../core/config-set.js';
import type { Diagnostic } from '../core/diagnostics.js';
import type { RepositoryResource } from '../core/resources.js';
import { diagnosticAt } from './diagnostic-at.js';

export function checkRepository(
  config: ConfigSet,
  valid: (doc: LoadedDocument) => boolean,
  builtinPolicies: readonly string[] | undefined,
  loadDiagnostics: readonly Diagnostic[],
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const repos = config.documents.filter(
    (d) => d.kind === 'Repository',
  ) as LoadedDocument<RepositoryResource>[];
  const fileBroken = loadDiagnostics.some((d) => d.file === REPOSITORY_FILE);
  if (repos.length === 0 && !fileBroken) {
    const exists = config.files.some((f) => f.path === REPOSITORY_FILE);
    out.push({
      file: REPOSITORY_FILE,
      line: 1,
      col: 1,
      severity: 'error',
      message: exists
        ? `${REPOSITORY_FILE} holds no Repository resource: a config repo needs exactly one there`
        : `missing ${REPOSITORY_FILE}: a config repo needs exactly one Repository resource at its root (mcp-gitops init writes one)`,
      rule: 'repository',
    });
  }
  repos.forEach((doc, i) => {
    if (doc.file !== REPOSITORY_FILE) {
      out.push(
        diagnosticAt(
          doc,
          ['kind'],
          `the Repository resource belongs in ${REPOSITORY_FILE} at the repo root`,
          'repository',
        ),
      );
    } else if (i > 0) {
      const first = repos[0].locate([]);
      out.push(
        diagnosticAt(
          doc,
          ['kind'],
          `a config repo has exactly one Repository resource; the first is at ${first.file}:${first.line}:${first.col}`,
          'repository',
        ),
      );
    }
    if (!valid(doc) || builtinPolicies === undefined) return;
    const known = new Set(builtinPolicies);
    (doc.value.spec.policies ?? []).forEach((name, j) => {
      if (known.has(name)) return;
      out.push(
        diagnosticAt(
          doc,
          ['spec', 'policies', j],
          `unknown built-in policy "${name}"${didYouMean(name, known)}: known are ${[...known].sort().join(', ')} (Policy resources in policies/ apply without being listed)`,
          'unknown-policy',
        ),
      );
    });
  });
  return out;
}
