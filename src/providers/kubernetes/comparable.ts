/**
 * Pure: the comparable form planning diffs for a kubernetes server. Observe projects each live
 * object onto the shape of what the provider renders (`project`): only the fields mcp-gitops
 * sets are kept, list items matched by name, so a field another manager added (an extra env
 * variable, label or annotation, a defaulted field) is never drift, while a change to one of ours
 * (replicas after `kubectl scale`, an env value or the image after `kubectl edit`) is. `render`
 * builds the comparable form from the rendered objects with the same `comparable`, so an object
 * in sync shows no difference.
 */
import { CONTAINER_NAME, PORT_NAME, type RenderedManifests } from './render-manifests.js';

type Obj = Record<string, unknown>;

const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const named = (v: unknown): v is Obj & { name: string } => isObject(v) && typeof v.name === 'string';

/**
 * `live` restricted to the paths `shape` has. Lists of named items (containers, env, ports,
 * volumes) are matched by name; other lists are taken whole. Two quantities that denote the same
 * amount (`1Gi` and `1024Mi`, as the API server may store them) project to the shape's spelling.
 */
export function project(live: unknown, shape: unknown): unknown {
  if (Array.isArray(shape)) {
    if (!Array.isArray(live)) return live;
    if (shape.length > 0 && shape.every(named)) {
      return shape.map((item) => {
        const match = live.find((l) => named(l) && l.name === item.name);
        return match === undefined ? undefined : project(match, item);
      });
    }
    return live;
  }
  if (isObject(shape)) {
    if (!isObject(live)) return live;
    const out: Obj = {};
    for (const key of Object.keys(shape)) {
      const value = project(live[key], shape[key]);
      if (value !== undefined) out[key] = value;
    }
    return out;
  }
  if (typeof shape === 'string' && typeof live === 'string' && live !== shape) {
    const a = quantity(live);
    if (a !== undefined && a === quantity(shape)) return shape;
  }
  return live;
}

/** The readable comparable form of a Deployment and a Service (rendered, or projected live ones). */
export function comparable(objects: { deployment?: unknown; service?: unknown }): Obj {
  const out: Obj = {};
  const deployment = isObject(objects.deployment) ? objects.deployment : undefined;
  const service = isObject(objects.service) ? objects.service : undefined;
  out.deployment = deployment ? 'present' : 'missing';
  if (deployment) {
    const spec = obj(deployment.spec);
    const pod = obj(obj(spec.template).spec);
    const container = list(pod.containers).find((c) => c.name === CONTAINER_NAME) ?? {};
    out.replicas = spec.replicas;
    out.image = container.image;
    if (container.args !== undefined) out.args = container.args;
    out.port = list(container.ports).find((p) => p.name === PORT_NAME)?.containerPort;
    const env: Record<string, unknown> = {};
    const secrets: Record<string, unknown> = {};
    for (const item of list(container.env)) {
      const name = String(item.name);
      const ref = obj(obj(item.valueFrom).secretKeyRef);
      if (typeof ref.name === 'string' && typeof ref.key === 'string')
        secrets[name] = `k8s:${ref.name}/${ref.key}`;
      else if (typeof item.value === 'string') env[name] = item.value;
      else env[name] = item.valueFrom === undefined ? '' : '(not a plain value)';
    }
    out.env = sortKeys(env);
    out.secrets = sortKeys(secrets);
    out.resources = container.resources;
    out.securityContext = container.securityContext;
    out.readinessProbe = container.readinessProbe ?? 'none';
    out.livenessProbe = container.livenessProbe ?? 'none';
    out.tmp = list(container.volumeMounts).some((m) => m.name === 'tmp' && m.mountPath === '/tmp')
      ? list(pod.volumes).some((v) => v.name === 'tmp' && isObject(v.emptyDir))
        ? 'emptyDir'
        : 'mounted, no volume'
      : 'not mounted';
    out.automountServiceAccountToken = pod.automountServiceAccountToken;
  }
  out.service = service ? 'present' : 'missing';
  if (service) {
    const spec = obj(service.spec);
    const port = list(spec.ports).find((p) => p.name === PORT_NAME) ?? {};
    out.serviceType = spec.type;
    out.servicePort = port.port;
    out.serviceTargetPort = port.targetPort;
    out.serviceSelector = spec.selector;
  }
  return out;
}

/** The comparable form of rendered manifests (`Provider.render`). */
export function renderedComparable(rendered: RenderedManifests): Obj {
  return comparable(rendered);
}

/** The comparable form of live objects, projected onto what the provider renders for the server. */
export function liveComparable(
  live: { deployment?: unknown; service?: unknown },
  rendered: RenderedManifests,
): Obj {
  return comparable({
    deployment: live.deployment === undefined ? undefined : project(live.deployment, rendered.deployment),
    service: live.service === undefined ? undefined : project(live.service, rendered.service),
  });
}

/** A Kubernetes quantity as a number of base units (cores, bytes), or undefined when not one. */
export function quantity(text: string): number | undefined {
  const match = /^([0-9]+(?:\.[0-9]+)?)(m|k|M|G|T|P|Ki|Mi|Gi|Ti|Pi)?$/.exec(text);
  if (!match) return undefined;
  const factor: Record<string, number> = {
    m: 1e-3,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
    P: 1e15,
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
    Pi: 2 ** 50,
  };
  return Number(match[1]) * (match[2] ? (factor[match[2]] as number) : 1);
}

function obj(v: unknown): Obj {
  return isObject(v) ? v : {};
}

function list(v: unknown): Obj[] {
  return Array.isArray(v) ? v.filter(isObject) : [];
}

function sortKeys(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
