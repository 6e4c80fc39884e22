/**
 * Pure: a Deployment's status as the project's health. The API server's copy is the deployment
 * controller's word: until it has seen the current generation nothing is known yet ("unknown", as
 * before any observation, so a cluster whose controller is slow or absent does not flap reports),
 * Available with every desired replica available is healthy, a rollout past its progress deadline
 * is unhealthy, anything in between is still starting. Each state that is not healthy says why,
 * plainly, so a report on a cluster whose controller never ran does not read as a crash.
 */
import type { Health } from '../../core/state.js';

export interface DeploymentHealth {
  health: Health;
  running: boolean;
  /** Why it is not healthy; observe reports it as the server being down only when unhealthy. */
  down?: string;
}

interface Condition {
  type?: string;
  status?: string;
  reason?: string;
}

export function deploymentHealth(deployment: unknown): DeploymentHealth {
  if (!deployment || typeof deployment !== 'object') {
    return { health: 'unhealthy', running: false, down: 'its Deployment is missing' };
  }
  const d = deployment as {
    metadata?: { generation?: number };
    spec?: { replicas?: number };
    status?: {
      observedGeneration?: number;
      availableReplicas?: number;
      updatedReplicas?: number;
      conditions?: Condition[];
    };
  };
  const wanted = d.spec?.replicas ?? 1;
  const status = d.status ?? {};
  const generation = d.metadata?.generation;
  if (
    status.observedGeneration === undefined ||
    (generation !== undefined && status.observedGeneration < generation)
  ) {
    return {
      health: 'unknown',
      running: false,
      down: `the deployment controller has not processed generation ${generation ?? '?'} yet (no rollout status)`,
    };
  }
  const conditions = status.conditions ?? [];
  const available = conditions.find((c) => c.type === 'Available');
  const progressing = conditions.find((c) => c.type === 'Progressing');
  const ready = status.availableReplicas ?? 0;
  if (wanted === 0) return { health: 'unhealthy', running: false, down: 'scaled to 0 replicas' };
  if (progressing?.status === 'False' && progressing.reason === 'ProgressDeadlineExceeded') {
    return {
      health: 'unhealthy',
      running: ready > 0,
      down: `rollout exceeded its progress deadline (${ready}/${wanted} replicas available)`,
    };
  }
  if (available?.status === 'True' && ready >= wanted) return { health: 'healthy', running: true };
  return {
    health: 'starting',
    running: ready > 0,
    down: `${ready}/${wanted} replicas available${available?.reason ? ` (${available.reason})` : ''}`,
  };
}
