/**
 * The external tools a test tier needs (podman, promtool, sshd, ...), checked when a test file
 * loads. A file that needs a tool this machine lacks fails at once, naming the tool and the Debian
 * package that provides it, instead of hanging until the runner's timeout or failing later with
 * `spawnSync promtool ENOENT`. It fails rather than skips: CI must never pass by skipping a tier.
 * The table and the way each tool is found follow `.ci/run`, which installs them all.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

export type Tool =
  | 'podman'
  | 'promtool'
  | 'prometheus'
  | 'sshd'
  | 'ssh'
  | 'docker-registry'
  | 'git'
  | 'start-stop-daemon'
  | 'ip'
  | 'chromium';

interface ToolSpec {
  /** Debian packages that provide it (as `.ci/run` installs them). */
  packages: readonly string[];
  /** A command looked up on PATH, or an absolute path the tests run directly. */
  find: string;
}

/** Every tool a test tier may need; `find` is what `.ci/run` tests before installing. */
export const TOOLS: Readonly<Record<Tool, ToolSpec>> = {
  podman: { packages: ['podman', 'runc', 'catatonit'], find: 'podman' },
  promtool: { packages: ['prometheus'], find: 'promtool' },
  prometheus: { packages: ['prometheus'], find: 'prometheus' },
  sshd: { packages: ['openssh-server'], find: '/usr/sbin/sshd' },
  ssh: { packages: ['openssh-client'], find: 'ssh' },
  'docker-registry': { packages: ['docker-registry'], find: 'docker-registry' },
  git: { packages: ['git'], find: 'git' },
  'start-stop-daemon': { packages: ['dpkg'], find: '/sbin/start-stop-daemon' },
  ip: { packages: ['iproute2'], find: 'ip' },
  // A font, or a fresh machine's screenshots show no text.
  chromium: { packages: ['chromium', 'fonts-dejavu-core'], find: 'chromium' },
};

/** How to tell whether a file is an executable (the real file system, or a table in unit tests). */
export type IsExecutable = (path: string) => boolean;

/** The tools of `needed` that are neither at their absolute path nor on `searchPath`. */
export function missingTools(
  needed: readonly Tool[],
  searchPath: string,
  isExecutable: IsExecutable,
): Tool[] {
  const dirs = searchPath.split(delimiter).filter((d) => d !== '');
  const found = (find: string) =>
    isAbsolute(find) ? isExecutable(find) : dirs.some((dir) => isExecutable(join(dir, find)));
  return [...new Set(needed)].filter((tool) => !found(TOOLS[tool].find));
}

/** What to tell the person running the tests: which tools, which packages, and `.ci/run`. */
export function missingToolsMessage(missing: readonly Tool[]): string {
  const packages = [...new Set(missing.flatMap((tool) => TOOLS[tool].packages))];
  const lines = [
    'This test file needs tools this machine does not have:',
    ...missing.map(
      (tool) =>
        `  - ${tool} (Debian package${TOOLS[tool].packages.length > 1 ? 's' : ''} ${TOOLS[tool].packages.join(' ')})`,
    ),
    `Install them with: apt-get install ${packages.join(' ')}`,
    '.ci/run installs everything the tests need on a fresh Debian machine (then runs npm test).',
  ];
  return lines.join('\n');
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Call at the top of a test file (after its imports) with the tools its tests run. Throws when
 * any is missing, which fails the file at once (the runner names the file).
 */
export function requireTools(...needed: Tool[]): void {
  const missing = missingTools(needed, process.env.PATH ?? '', isExecutableFile);
  if (missing.length === 0) return;
  const error = new Error(missingToolsMessage(missing));
  error.name = 'MissingTestTools';
  throw error;
}
