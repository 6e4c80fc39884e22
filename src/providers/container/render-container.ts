/**
 * Pure: a desired server as a container — its image reference, the engine's create body, and the
 * comparable form planning diffs. `render(desired)` and observe's `actual` are built by the same
 * `comparable`, so a container in sync shows no difference, a stopped one `running: false`.
 * Secret values never reach these shapes: the comparable form holds secret *references*.
 */
import { McpGitopsError } from '../../core/errors.js';
import type { PackageSource, ServerSpec } from '../../core/resources.js';
import type { ContainerCreateBody } from './engine-api.js';

export interface ContainerActual {
  running: boolean;
  image: string;
  port?: number;
  bindAddress?: string;
  path?: string;
  /** Plain environment variables, name → value. */
  env: Record<string, string>;
  /** Secret variables, name → reference (never the value). */
  secrets: Record<string, string>;
}

export function comparable(fields: ContainerActual): Record<string, unknown> {
  const out: Record<string, unknown> = { running: fields.running, image: fields.image };
  if (fields.port !== undefined) out.port = fields.port;
  if (fields.bindAddress !== undefined) out.bindAddress = fields.bindAddress;
  if (fields.path !== undefined) out.path = fields.path;
  out.env = sortKeys(fields.env);
  out.secrets = sortKeys(fields.secrets);
  return out;
}

/** The comparable form of a desired server on a target publishing on `bindAddress`. */
export function renderComparable(spec: ServerSpec, bindAddress: string): Record<string, unknown> {
  return comparable({
    running: true,
    image: spec.package ? imageRef(spec.package) : '',
    ...(spec.port === undefined ? {} : { port: spec.port, bindAddress }),
    path: httpPath(spec),
    env: { ...(spec.env ?? {}) },
    secrets: Object.fromEntries((spec.secrets ?? []).map((s) => [s.name, s.ref])),
  });
}

/**
 * `identifier:version`, or `identifier@sha256:…` for a digest version; an identifier that already
 * is a full reference with a digest is used as it is.
 */
export function imageRef(pkg: PackageSource): string {
  if (pkg.identifier.includes('@')) return pkg.identifier;
  if (pkg.version.startsWith('sha256:')) return `${pkg.identifier}@${pkg.version}`;
  return `${pkg.identifier}:${pkg.version}`;
}

/** Image references the engine may report for one image (`docker.io/library/x` is `x`). */
export function sameImage(a: string, b: string): boolean {
  const strip = (ref: string) => ref.replace(/^(docker\.io\/|localhost\/)/, '').replace(/^library\//, '');
  return a === b || strip(a) === strip(b);
}

/** The URL path the server answers MCP on (`/mcp`, or `/sse` for SSE servers, unless given). */
export function httpPath(spec: ServerSpec): string {
  const path = spec.path ?? (spec.transport === 'sse' ? '/sse' : '/mcp');
  return path.startsWith('/') ? path : `/${path}`;
}

/** Why this provider cannot run the server, or undefined when it can. */
export function unsupportedReason(name: string, spec: ServerSpec): string | undefined {
  if (spec.transport !== 'streamable-http' && spec.transport !== 'sse')
    return `server "${name}" uses transport ${spec.transport}; containers serve streamable-http or sse`;
  if (spec.package?.registryType !== 'oci')
    return `server "${name}" is not an oci package; the container provider runs package.registryType: oci`;
  if (spec.port === undefined) return `server "${name}" has no port to publish`;
  if (spec.package.runtimeArguments?.length)
    return `server "${name}": package.runtimeArguments are not supported by the container provider`;
  return undefined;
}

/** The engine's create body: image, env (secrets resolved by the caller), labels, the port. */
export function createBody(
  name: string,
  spec: ServerSpec,
  options: { env: string[]; labels: Record<string, string>; bindAddress: string; network?: string },
): ContainerCreateBody {
  const reason = unsupportedReason(name, spec);
  if (reason || !spec.package || spec.port === undefined) {
    throw new McpGitopsError('ERR_PROVIDER', reason ?? `server "${name}" cannot run as a container`);
  }
  const portKey = `${spec.port}/tcp`;
  const args = spec.package.packageArguments ?? [];
  return {
    Image: imageRef(spec.package),
    Env: options.env,
    ...(args.length > 0 ? { Cmd: [...args] } : {}),
    Labels: options.labels,
    ExposedPorts: { [portKey]: {} },
    HostConfig: {
      PortBindings: { [portKey]: [{ HostIp: options.bindAddress, HostPort: String(spec.port) }] },
      RestartPolicy: { Name: 'unless-stopped' },
      ...(options.network ? { NetworkMode: options.network } : {}),
    },
  };
}

function sortKeys(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
