/**
 * References to files must not leave the config repo: relative `file:` secret refs (servers,
 * overrides, target identity files) and relative hook commands resolve against the repo root.
 * `~/` and absolute secret paths are allowed: secrets live outside git. The reports folder, which
 * mcp-gitops writes and commits, must be inside the repo.
 */
import { posix } from 'node:path';
import type { LoadedDocument } from '../core/config-set.js';
import type { Diagnostic } from '../core/diagnostics.js';
import type {
  EnvironmentResource,
  HookResource,
  RepositoryResource,
  SecretBinding,
  ServerResource,
} from '../core/resources.js';
import { diagnosticAt } from './diagnostic-at.js';

function escapes(relativePath: string): boolean {
  const normalized = posix.normalize(relativePath.replace(/\\/g, '/'));
  return normalized === '..' || normalized.startsWith('../');
}

function escapingFileRef(ref: string): boolean {
  if (!ref.startsWith('file:')) return false;
  const path = ref.slice('file:'.length);
  if (path.startsWith('~/') || path === '~' || posix.isAbsolute(path) || /^[A-Za-z]:[\\/]/.test(path))
    return false;
  return escapes(path);
}

const SECRET_HINT =
  'a relative file: path resolves against the config repo root; use ~/ or an absolute path for a secret kept outside git';

function checkSecrets(
  doc: LoadedDocument,
  base: (string | number)[],
  secrets: SecretBinding[] | undefined,
  out: Diagnostic[],
) {
  (secrets ?? []).forEach((s, i) => {
    if (escapingFileRef(s.ref)) {
      out.push(
        diagnosticAt(
          doc,
          [...base, i, 'ref'],
          `secret ref "${s.ref}" leaves the config repo: ${SECRET_HINT}`,
          'ref-escape',
        ),
      );
    }
  });
}

export function checkPathRefs(
  servers: readonly LoadedDocument<ServerResource>[],
  environments: readonly LoadedDocument<EnvironmentResource>[],
  hooks: readonly LoadedDocument<HookResource>[],
  repository?: LoadedDocument<RepositoryResource>,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const reportsDir = repository?.value.spec.reports?.dir;
  if (
    reportsDir !== undefined &&
    (posix.isAbsolute(reportsDir) ||
      reportsDir.startsWith('~') ||
      escapes(reportsDir) ||
      posix.normalize(reportsDir) === '.')
  ) {
    out.push(
      diagnosticAt(
        repository!,
        ['spec', 'reports', 'dir'],
        `reports.dir "${reportsDir}" must be a folder inside the config repo (mcp-gitops commits reports there), e.g. reports`,
        'ref-escape',
      ),
    );
  }
  for (const doc of servers) checkSecrets(doc, ['spec', 'secrets'], doc.value.spec.secrets, out);
  for (const doc of environments) {
    doc.value.spec.targets.forEach((target, i) => {
      const ref = target.identityFile?.ref;
      if (ref !== undefined && escapingFileRef(ref)) {
        out.push(
          diagnosticAt(
            doc,
            ['spec', 'targets', i, 'identityFile', 'ref'],
            `secret ref "${ref}" leaves the config repo: ${SECRET_HINT}`,
            'ref-escape',
          ),
        );
      }
    });
    doc.value.spec.servers.forEach((entry, i) => {
      checkSecrets(doc, ['spec', 'servers', i, 'overrides', 'secrets'], entry.overrides?.secrets, out);
    });
  }
  for (const doc of hooks) {
    const command = doc.value.spec.run.command;
    if (
      command.includes('/') &&
      !posix.isAbsolute(command) &&
      !command.startsWith('~/') &&
      escapes(command)
    ) {
      out.push(
        diagnosticAt(
          doc,
          ['spec', 'run', 'command'],
          `hook command "${command}" leaves the config repo: a relative command resolves against the repo root; keep the script in the repo or give an absolute path`,
          'ref-escape',
        ),
      );
    }
  }
  return out;
}
