/**
 * Which programs a server needs on its target's host to be started the way its provider starts
 * it (pure). `client-config`: the clients launch a stdio server with the package runner of its
 * registry (`npx`, `uvx`, `docker`; clients/build-entry.ts) or its own command; an HTTP or remote
 * server needs nothing there. `process`: npm packages are installed with the host's `npm`, a
 * command is started as given (node itself is needed to observe, so a host without it is already
 * Stalled). `container`: the engine runs the image; its socket is what observing checks.
 */
import { isHttp } from '../clients/build-entry.js';
import type { ServerSpec } from '../core/resources.js';

export interface RuntimeNeed {
  /** A program name looked up on the host's PATH, or an absolute (or `~/`) path. */
  program: string;
  /** Why it is needed, e.g. `its clients launch pypi packages with uvx`. */
  why: string;
  /** What to do when it is missing. */
  hint: string;
  /** The spec field that decides it (for the warning's FILE:LINE). */
  field: string[];
}

const RUNNERS: Record<string, { program: string; hint: string }> = {
  npm: { program: 'npx', hint: 'install Node.js with npm (which provides npx) on the host' },
  pypi: { program: 'uvx', hint: 'install uv (which provides uvx) on the host: https://docs.astral.sh/uv/' },
  oci: {
    program: 'docker',
    hint: 'install Docker, or Podman with its docker command (podman-docker), on the host',
  },
};

export function runtimeNeeds(provider: string, spec: ServerSpec): RuntimeNeed[] {
  switch (provider) {
    case 'client-config':
      return clientNeeds(spec);
    case 'process':
      return processNeeds(spec);
    default:
      return [];
  }
}

function clientNeeds(spec: ServerSpec): RuntimeNeed[] {
  if (spec.remote || isHttp(spec)) return [];
  const pkg = spec.package;
  if (pkg) {
    const runner = RUNNERS[pkg.registryType];
    if (!runner) return [];
    return [
      {
        program: runner.program,
        why: `its clients launch ${pkg.registryType} packages with ${runner.program}`,
        hint: runner.hint,
        field: ['package', 'registryType'],
      },
    ];
  }
  return commandNeed(spec, 'its clients launch this command');
}

function processNeeds(spec: ServerSpec): RuntimeNeed[] {
  if (spec.package?.registryType === 'npm') {
    return [
      {
        program: 'npm',
        why: 'the process provider installs npm packages with npm',
        hint: 'install Node.js with npm on the host',
        field: ['package', 'registryType'],
      },
    ];
  }
  if (spec.package) return [];
  return commandNeed(spec, 'the process provider starts this command');
}

/**
 * The command's program, when it can be looked up: a bare name (on PATH), an absolute path or one
 * under `~/`. A relative path depends on where it is started from, so it is not checked.
 */
function commandNeed(spec: ServerSpec, why: string): RuntimeNeed[] {
  const program = spec.command?.path;
  if (!program) return [];
  const lookable = !program.includes('/') || program.startsWith('/') || program.startsWith('~/');
  if (!lookable) return [];
  return [
    {
      program,
      why,
      hint: program.includes('/')
        ? 'install it at that path on the host, or fix command.path'
        : 'install it on the host (on the PATH the server is started with), or give command.path as an absolute path',
      field: ['command', 'path'],
    },
  ];
}
