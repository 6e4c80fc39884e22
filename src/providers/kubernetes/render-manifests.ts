/**
 * Pure: a desired server as the two objects the kubernetes provider applies — a Deployment and a
 * ClusterIP Service named after the server — with the safe defaults (non-root, read-only root
 * filesystem with an emptyDir at /tmp, no privilege escalation, all capabilities dropped, the
 * runtime's seccomp profile, modest resources, TCP probes on the port) and the server's
 * `kubernetes:` overrides. Secrets become `secretKeyRef`s to Secrets that already exist (a ref
 * `k8s:SECRET/KEY`); no value is ever read or written. Every field is written out in full (probe
 * timings, protocols), so what the API server stores back is what was rendered.
 */
import { McpGitopsError } from '../../core/errors.js';
import type { KubernetesProbe, PackageSource, ServerSpec } from '../../core/resources.js';
import type { DesiredEnvironment, DesiredServer, DesiredTarget } from '../../core/state.js';
import { ANNOTATIONS, selectorLabels, serverLabels } from './kube-labels.js';

export const CONTAINER_NAME = 'mcp';
export const PORT_NAME = 'mcp';
export const DEFAULT_RESOURCES = {
  requests: { cpu: '50m', memory: '64Mi' },
  limits: { memory: '256Mi' },
} as const;
const PROBE_DEFAULTS = { initialDelaySeconds: 2, periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 3 };

export interface RenderedManifests {
  deployment: Record<string, unknown>;
  service: Record<string, unknown>;
}

/** Why the provider cannot run the server on `target`, or undefined when it can. */
export function unsupportedReason(name: string, spec: ServerSpec, target = ''): string | undefined {
  const on = target ? ` on kubernetes target "${target}"` : '';
  if (spec.transport !== 'streamable-http' && spec.transport !== 'sse')
    return `server "${name}" uses transport ${spec.transport}; it cannot run${on}: the kubernetes provider serves streamable-http or sse through a Service`;
  if (spec.package?.registryType !== 'oci')
    return `server "${name}" has no container image; it cannot run${on}: the kubernetes provider runs package.registryType: oci`;
  if (spec.port === undefined) return `server "${name}" has no port${on}: the Service needs one`;
  if (spec.package.runtimeArguments?.length)
    return `server "${name}": package.runtimeArguments are not supported${on} (use packageArguments or kubernetes: overrides)`;
  return undefined;
}

/** `{name, key}` of a `k8s:SECRET/KEY` reference, or undefined for any other reference. */
export function secretKeyRef(ref: string): { name: string; key: string } | undefined {
  const match = /^k8s:([^/]+)\/(.+)$/.exec(ref);
  return match ? { name: match[1] as string, key: match[2] as string } : undefined;
}

/** `identifier:version`, or `identifier@sha256:…` for a digest; a full reference with a digest as it is. */
export function imageRef(pkg: PackageSource): string {
  if (pkg.identifier.includes('@')) return pkg.identifier;
  if (pkg.version.startsWith('sha256:')) return `${pkg.identifier}@${pkg.version}`;
  return `${pkg.identifier}:${pkg.version}`;
}

/** The URL path the server answers MCP on (`/mcp`, or `/sse` for SSE servers, unless given). */
export function httpPath(spec: ServerSpec): string {
  const path = spec.path ?? (spec.transport === 'sse' ? '/sse' : '/mcp');
  return path.startsWith('/') ? path : `/${path}`;
}

export function renderManifests(
  server: DesiredServer,
  target: DesiredTarget,
  environment: DesiredEnvironment,
): RenderedManifests {
  const { spec, name } = server;
  const reason = unsupportedReason(name, spec, target.name);
  if (reason || !spec.package || spec.port === undefined) {
    throw new McpGitopsError('ERR_PROVIDER', reason ?? `server "${name}" cannot run on Kubernetes`);
  }
  const port = spec.port;
  const options = spec.kubernetes ?? {};
  const labels = serverLabels(environment.name, target.name, name);
  const metadata = {
    name,
    labels,
    annotations: {
      [ANNOTATIONS.specHash]: server.specHash,
      [ANNOTATIONS.path]: httpPath(spec),
      [ANNOTATIONS.spec]: JSON.stringify(spec),
    },
  };
  const args = spec.package.packageArguments ?? [];
  const container: Record<string, unknown> = {
    name: CONTAINER_NAME,
    image: imageRef(spec.package),
    ...(args.length > 0 ? { args: [...args] } : {}),
    ports: [{ name: PORT_NAME, containerPort: port, protocol: 'TCP' }],
    env: renderEnv(name, spec),
    resources: {
      requests: { ...DEFAULT_RESOURCES.requests, ...(options.resources?.requests ?? {}) },
      limits: { ...DEFAULT_RESOURCES.limits, ...(options.resources?.limits ?? {}) },
    },
    securityContext: {
      runAsNonRoot: true,
      ...(options.securityContext?.runAsUser === undefined
        ? {}
        : { runAsUser: options.securityContext.runAsUser }),
      ...(options.securityContext?.runAsGroup === undefined
        ? {}
        : { runAsGroup: options.securityContext.runAsGroup }),
      readOnlyRootFilesystem: options.securityContext?.readOnlyRootFilesystem ?? true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    },
    volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
  };
  const readiness = renderProbe(options.readinessProbe, port);
  const liveness = renderProbe(options.livenessProbe, port);
  if (readiness) container.readinessProbe = readiness;
  if (liveness) container.livenessProbe = liveness;

  const selector = selectorLabels(environment.name, target.name, name);
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata,
    spec: {
      replicas: options.replicas ?? 1,
      selector: { matchLabels: selector },
      template: {
        metadata: { labels },
        spec: {
          automountServiceAccountToken: false,
          containers: [container],
          volumes: [{ name: 'tmp', emptyDir: {} }],
        },
      },
    },
  };
  const service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata,
    spec: {
      type: options.serviceType ?? 'ClusterIP',
      selector,
      ports: [{ name: PORT_NAME, port, targetPort: PORT_NAME, protocol: 'TCP' }],
    },
  };
  return { deployment, service };
}

/** Plain variables by value, then secrets as `secretKeyRef`, each list sorted by name. */
function renderEnv(server: string, spec: ServerSpec): Record<string, unknown>[] {
  const plain = Object.entries(spec.env ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => ({ name, value }));
  const secrets = [...(spec.secrets ?? [])]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((binding) => {
      const ref = secretKeyRef(binding.ref);
      if (!ref) {
        throw new McpGitopsError(
          'ERR_PROVIDER',
          `server "${server}": secret ${binding.name} is ${schemeOf(binding.ref)}; the kubernetes provider takes only k8s:SECRET/KEY references`,
        );
      }
      return { name: binding.name, valueFrom: { secretKeyRef: ref } };
    });
  return [...plain, ...secrets];
}

function renderProbe(
  probe: KubernetesProbe | false | undefined,
  port: number,
): Record<string, unknown> | undefined {
  if (probe === false) return undefined;
  const given = probe ?? {};
  const action = given.httpPath
    ? { httpGet: { path: given.httpPath, port, scheme: 'HTTP' } }
    : { tcpSocket: { port } };
  return {
    ...action,
    initialDelaySeconds: given.initialDelaySeconds ?? PROBE_DEFAULTS.initialDelaySeconds,
    periodSeconds: given.periodSeconds ?? PROBE_DEFAULTS.periodSeconds,
    timeoutSeconds: given.timeoutSeconds ?? PROBE_DEFAULTS.timeoutSeconds,
    failureThreshold: given.failureThreshold ?? PROBE_DEFAULTS.failureThreshold,
    successThreshold: 1,
  };
}

/** `env:` of `env:TOKEN`: never more of a reference than its scheme. */
function schemeOf(ref: string): string {
  const colon = ref.indexOf(':');
  return colon > 0 ? `a ${ref.slice(0, colon)}: reference` : 'not a reference';
}
