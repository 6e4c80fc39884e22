/**
 * The Lease itself, through the API server: read it, create it, replace it under its
 * resourceVersion (optimistic concurrency: someone else's write in between is a 409, reported as
 * `conflict` for the caller to re-read and decide again), and the annotations that followers and
 * the leader talk through. Times are written as MicroTime (microsecond RFC 3339; a plain Date is
 * refused with a 400). Only effects; what to write is decided in lease-decision.ts.
 */
import * as k8s from '@kubernetes/client-node';
import { kubeErrorMessage, kubeStatus } from '../../kube/connect.js';
import type { LeaseRecord } from './lease-decision.js';

/** The leader's URL for forwarded deliveries (pull requests), set by the holder on every write. */
export const LEADER_URL = 'mcp-gitops.dev/leader-url';
/** The newest commit a follower was told about by a push delivery, for the leader to reconcile. */
export const REQUESTED_REVISION = 'mcp-gitops.dev/requested-revision';
/** When that request was recorded (RFC 3339, ms): the leader acts on every newer one. */
export const REQUESTED_AT = 'mcp-gitops.dev/requested-at';

export interface LeaseState {
  record: LeaseRecord;
  annotations: Record<string, string>;
  resourceVersion: string;
}

export type WriteResult = { ok: true; state: LeaseState } | { ok: false; conflict: true };

export interface LeaseStore {
  readonly namespace: string;
  readonly name: string;
  /** The Lease, or undefined when it does not exist. */
  read(): Promise<LeaseState | undefined>;
  /** Create (when `previous` is undefined) or replace at `previous.resourceVersion`. */
  write(
    previous: LeaseState | undefined,
    record: LeaseRecord,
    annotations: Record<string, string>,
  ): Promise<WriteResult>;
}

export function kubeLeaseStore(api: k8s.CoordinationV1Api, namespace: string, name: string): LeaseStore {
  return {
    namespace,
    name,
    async read() {
      try {
        return fromLease(await api.readNamespacedLease({ name, namespace }));
      } catch (err) {
        if (kubeStatus(err) === 404) return undefined;
        throw new Error(`reading Lease ${namespace}/${name}: ${kubeErrorMessage(err)}`);
      }
    },
    async write(previous, record, annotations) {
      const body: k8s.V1Lease = {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: {
          name,
          namespace,
          annotations,
          labels: { 'app.kubernetes.io/managed-by': 'mcp-gitops' },
          ...(previous ? { resourceVersion: previous.resourceVersion } : {}),
        },
        spec: toSpec(record),
      };
      try {
        const written = previous
          ? await api.replaceNamespacedLease({ name, namespace, body })
          : await api.createNamespacedLease({ namespace, body });
        return { ok: true, state: fromLease(written) };
      } catch (err) {
        // 409: changed since read (replace) or created by another replica first (create).
        if (kubeStatus(err) === 409) return { ok: false, conflict: true };
        throw new Error(`writing Lease ${namespace}/${name}: ${kubeErrorMessage(err)}`);
      }
    },
  };
}

function toSpec(r: LeaseRecord): k8s.V1LeaseSpec {
  return {
    holderIdentity: r.holder,
    leaseDurationSeconds: r.leaseDurationSeconds,
    leaseTransitions: r.transitions,
    ...(r.acquireTime !== undefined ? { acquireTime: new k8s.V1MicroTime(r.acquireTime) } : {}),
    ...(r.renewTime !== undefined ? { renewTime: new k8s.V1MicroTime(r.renewTime) } : {}),
  };
}

function fromLease(lease: k8s.V1Lease): LeaseState {
  const spec = lease.spec ?? {};
  return {
    record: {
      holder: spec.holderIdentity ?? '',
      leaseDurationSeconds: spec.leaseDurationSeconds ?? 0,
      transitions: spec.leaseTransitions ?? 0,
      ...optionalTime('acquireTime', spec.acquireTime),
      ...optionalTime('renewTime', spec.renewTime),
    },
    annotations: { ...(lease.metadata?.annotations ?? {}) },
    resourceVersion: lease.metadata?.resourceVersion ?? '',
  };
}

/** A MicroTime as the client hands it back (a Date or the RFC 3339 string) in ms; unparsable: absent. */
function optionalTime<K extends string>(key: K, value: unknown): Partial<Record<K, number>> {
  if (value === undefined || value === null) return {};
  const ms = value instanceof Date ? value.getTime() : Date.parse(String(value));
  return Number.isFinite(ms) ? ({ [key]: ms } as Record<K, number>) : {};
}
