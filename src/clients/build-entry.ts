/**
 * What every client format shares: how a server is launched over stdio (the package runner for its
 * registry, or its command), its environment with secrets as references or values, and its URL
 * when it speaks HTTP. Adapters shape these into their own keys.
 */
import type { SecretBinding, ServerSpec } from '../core/resources.js';
import type { DesiredServer } from '../core/state.js';
import type { EntryContext } from './types.js';

/** Stands in for a materialized secret value wherever entries are compared or reported. */
export const MATERIALIZED_SECRET = '[materialized secret]';

export interface StdioLaunch {
  command: string;
  args: string[];
}

/** `npx -y id@version`, `uvx id==version`, `docker run -i --rm image:version`, or the command itself. */
export function stdioLaunch(spec: ServerSpec): StdioLaunch | undefined {
  const pkg = spec.package;
  if (pkg) {
    const runtime = pkg.runtimeArguments ?? [];
    const rest = pkg.packageArguments ?? [];
    switch (pkg.registryType) {
      case 'npm':
        return { command: 'npx', args: ['-y', ...runtime, `${pkg.identifier}@${pkg.version}`, ...rest] };
      case 'pypi':
        return { command: 'uvx', args: [...runtime, `${pkg.identifier}==${pkg.version}`, ...rest] };
      case 'oci': {
        // A container only sees the variables named with -e; their values come from docker's environment.
        const names = [...Object.keys(spec.env ?? {}), ...(spec.secrets ?? []).map((s) => s.name)];
        const image = pkg.version.startsWith('sha256:')
          ? `${pkg.identifier}@${pkg.version}`
          : `${pkg.identifier}:${pkg.version}`;
        return {
          command: 'docker',
          args: ['run', '-i', '--rm', ...names.flatMap((n) => ['-e', n]), ...runtime, image, ...rest],
        };
      }
    }
  }
  if (spec.command) return { command: spec.command.path, args: [...(spec.command.args ?? [])] };
  return undefined;
}

/** `{ command, args }` of the stdio launch (empty when the server cannot be launched over stdio). */
export function launchFields(spec: ServerSpec): { command?: string; args?: string[] } {
  const launch = stdioLaunch(spec);
  return launch ? { command: launch.command, args: launch.args } : {};
}

export function isHttp(spec: ServerSpec): boolean {
  return spec.transport === 'streamable-http' || spec.transport === 'sse';
}

/** The URL a client connects to: the remote's, or the address the engine found for a served process. */
export function endpointUrl(spec: ServerSpec, ctx: Pick<EntryContext, 'endpointUrl'>): string | undefined {
  return spec.remote?.url ?? ctx.endpointUrl;
}

/**
 * The variable a client reads a secret from in reference mode: the variable an `env:` ref names,
 * else (a `file:` ref has no variable) the binding's own name.
 */
export function secretVariable(binding: SecretBinding): string {
  return binding.ref.startsWith('env:') ? binding.ref.slice('env:'.length) : binding.name;
}

/** Plain env plus secrets, each secret as `reference(binding)` or (materialize) its value. */
export function entryEnv(
  server: DesiredServer,
  ctx: EntryContext,
  reference: (binding: SecretBinding) => string,
): Record<string, string> {
  const env: Record<string, string> = { ...(server.spec.env ?? {}) };
  for (const binding of server.spec.secrets ?? []) {
    env[binding.name] =
      ctx.secretsMode === 'materialize'
        ? (ctx.values?.[binding.name] ?? MATERIALIZED_SECRET)
        : reference(binding);
  }
  return env;
}

/** Reasons no client can take a server, whatever its format. */
export function commonUnsupported(spec: ServerSpec): string | undefined {
  if (!spec.package && !spec.command && !spec.remote) return 'the server has no package, command or remote';
  if (spec.transport === 'stdio' && !launchesOverStdio(spec))
    return 'a remote server must use streamable-http or sse';
  return undefined;
}

/**
 * Whether stdioLaunch gives a launch, without building it: validation asks this of every server
 * once per client of every target (thousands of times in a cold process).
 */
function launchesOverStdio(spec: ServerSpec): boolean {
  const type = spec.package?.registryType;
  return type === 'npm' || type === 'pypi' || type === 'oci' || Boolean(spec.command);
}

/** `{ env }` when there is any, so entries without environment stay minimal. */
export function withEnv(env: Record<string, string>): { env?: Record<string, string> } {
  return Object.keys(env).length > 0 ? { env } : {};
}

export function withHeaders(spec: ServerSpec, key = 'headers'): Record<string, Record<string, string>> {
  const headers = spec.remote?.headers;
  return headers && Object.keys(headers).length > 0 ? { [key]: { ...headers } } : {};
}

/** `{ command, args, env }` of a stdio entry, each secret written as `reference(binding)`. */
export function stdioFields(
  server: DesiredServer,
  ctx: EntryContext,
  reference: (binding: SecretBinding) => string,
): { command?: string; args?: string[]; env?: Record<string, string> } {
  return { ...launchFields(server.spec), ...withEnv(entryEnv(server, ctx, reference)) };
}

/** `{ [key]: url }` with the URL clients connect to, or nothing when it is not known yet. */
export function urlField(
  spec: ServerSpec,
  ctx: Pick<EntryContext, 'endpointUrl'>,
  key = 'url',
): Record<string, string> {
  const url = endpointUrl(spec, ctx);
  return url ? { [key]: url } : {};
}

export function hasSecrets(spec: ServerSpec): boolean {
  return (spec.secrets ?? []).length > 0;
}
