/**
 * ToolLock documents (src/surface/lock/): the lock cannot lie, and it must belong to something.
 * - Its fingerprints match its content (a description edited by hand is an error at that tool).
 * - It sits at `tool-locks/<server>/<version>.yaml` and is named `lockName(server, version)`.
 * - Its server exists, and its version is one the server can run: the Server's exact package
 *   version or an environment override's, or `unversioned` for a server with no package.
 *   A lock for a package version nothing pins any more is a warning, not an error: it is what a
 *   rollback to that version is checked against; delete it once that version is gone for good.
 */
import { didYouMean } from '../config/suggest-name.js';
import type { ConfigSet, LoadedDocument } from '../core/config-set.js';
import type { Diagnostic } from '../core/diagnostics.js';
import type { EnvironmentResource, ServerResource, ToolLockResource } from '../core/resources.js';
import { lockProblems } from '../surface/lock/lock-integrity.js';
import { lockName, lockPath, UNVERSIONED } from '../surface/lock/lock-path.js';
import { diagnosticAt } from './diagnostic-at.js';

/** Every version each server can run: its own package version and environment overrides'. */
function pinnedVersions(
  servers: readonly LoadedDocument<ServerResource>[],
  environments: readonly LoadedDocument<EnvironmentResource>[],
): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const add = (name: string, version: string | undefined) => {
    if (version === undefined) return;
    const set = out.get(name) ?? new Set<string>();
    set.add(version);
    out.set(name, set);
  };
  for (const doc of servers) {
    const spec = doc.value.spec;
    add(doc.name, spec.package ? spec.package.version : UNVERSIONED);
  }
  for (const env of environments) {
    for (const entry of env.value.spec.servers ?? []) add(entry.name, entry.overrides?.package?.version);
  }
  return out;
}

function integrity(doc: LoadedDocument<ToolLockResource>, server: string): Diagnostic[] {
  const relock = `run mcp-gitops tools lock ${server} to lock the live surface again, and review the diff`;
  return lockProblems(doc.value.spec.surface).map((p) => {
    if (p.kind === 'tool-fingerprint') {
      return diagnosticAt(
        doc,
        ['spec', 'surface', 'tools', p.index],
        `tool ${JSON.stringify(p.tool)} does not match its fingerprint: the lock was edited by hand; ${relock}`,
        'tool-lock-fingerprint',
      );
    }
    if (p.kind === 'tool-order') {
      return diagnosticAt(
        doc,
        ['spec', 'surface', 'tools', p.index, 'name'],
        `tools must be sorted by name with no repeats: ${JSON.stringify(p.tool)} comes after ${JSON.stringify(p.previous)}; ${relock}`,
        'tool-lock-order',
      );
    }
    return diagnosticAt(
      doc,
      ['spec', 'surface', 'fingerprint'],
      `the surface does not match its fingerprint (a tool, the instructions, prompts or templates were edited by hand); ${relock}`,
      'tool-lock-fingerprint',
    );
  });
}

function belongs(
  doc: LoadedDocument<ToolLockResource>,
  serverNames: ReadonlySet<string>,
  versions: ReadonlyMap<string, ReadonlySet<string>>,
): Diagnostic[] {
  const { server, version } = doc.value.spec;
  const out: Diagnostic[] = [];
  const path = lockPath(server, version);
  if (doc.file !== path) {
    out.push(
      diagnosticAt(
        doc,
        ['spec', 'version'],
        `a lock of ${server} ${version} belongs at ${path}: move it there`,
        'tool-lock-path',
      ),
    );
  }
  const name = lockName(server, version);
  if (doc.value.metadata.name !== name) {
    out.push(
      diagnosticAt(
        doc,
        ['metadata', 'name'],
        `a lock of ${server} ${version} is named "${name}"`,
        'tool-lock-name',
      ),
    );
  }
  if (!serverNames.has(server)) {
    out.push(
      diagnosticAt(
        doc,
        ['spec', 'server'],
        `unknown server "${server}"${didYouMean(server, [...serverNames])}: no Server resource has this name; delete the lock or fix the name`,
        'unknown-server',
      ),
    );
    return out;
  }
  const pinned = versions.get(server);
  if (!pinned || pinned.has(version)) return out;
  const list = [...pinned].sort().join(', ');
  if (pinned.has(UNVERSIONED) && pinned.size === 1) {
    out.push(
      diagnosticAt(
        doc,
        ['spec', 'version'],
        `server "${server}" has no package version to pin: its lock's version is "${UNVERSIONED}"`,
        'tool-lock-version',
      ),
    );
  } else if (version === UNVERSIONED) {
    out.push(
      diagnosticAt(
        doc,
        ['spec', 'version'],
        `server "${server}" runs a package (${list}): lock its exact version, not "${UNVERSIONED}"`,
        'tool-lock-version',
      ),
    );
  } else {
    out.push(
      diagnosticAt(
        doc,
        ['spec', 'version'],
        `no Server or environment pins version ${version} of "${server}" (pinned: ${list}): kept for rollback; delete it once that version is gone`,
        'tool-lock-stale',
        { severity: 'warning' },
      ),
    );
  }
  return out;
}

/** Diagnostics for the schema-valid ToolLocks of `checked` (servers and environments schema-valid too). */
export function checkToolLocks(checked: ConfigSet, serverNames: ReadonlySet<string>): Diagnostic[] {
  // Built on the first lock: a repo without locks (most, and 10,000 servers at scale) needs none.
  let versions: Map<string, Set<string>> | undefined;
  const out: Diagnostic[] = [];
  for (const doc of checked.documents) {
    if (doc.kind !== 'ToolLock') continue;
    versions ??= pinnedVersions(checked.servers, checked.environments);
    const lock = doc as LoadedDocument<ToolLockResource>;
    out.push(...integrity(lock, lock.value.spec.server), ...belongs(lock, serverNames, versions));
  }
  return out;
}
