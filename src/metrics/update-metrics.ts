/**
 * Update automation's metrics (issue 19), on the registry of `createMetrics`, registered by
 * `serve --updates-interval`. Labels hold only what has a strict shape: server names (a DNS label,
 * as the config schema demands, checked again here) and the PR action (a closed set). The proposed
 * version is registry text, so it appears only in the `_info` series and only when it looks like a
 * version; anything else is left out rather than put in a label.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { PullRequestOutcome } from '../updates/types.js';

export const UPDATE_METRIC_NAMES = [
  'mcp_gitops_updates_pending',
  'mcp_gitops_update_proposed_info',
  'mcp_gitops_update_check_errors',
  'mcp_gitops_update_pull_requests_total',
  'mcp_gitops_updates_last_check_timestamp_seconds',
] as const;

export const PR_ACTIONS: readonly PullRequestOutcome['action'][] = [
  'opened',
  'updated',
  'unchanged',
  'closed-before',
  'outside-schedule',
  'failed',
];

export interface UpdateMetrics {
  pending: Gauge<'server'>;
  proposedInfo: Gauge<'server' | 'version'>;
  checkErrors: Gauge<'server'>;
  pullRequests: Counter<'action'>;
  lastCheck: Gauge<never>;
  /** Servers with series now, so the ones that left the config are dropped. */
  servers: Set<string>;
  /** `server\0version` of the info series now. */
  proposed: Set<string>;
}

export function createUpdateMetrics(registry: Registry): UpdateMetrics {
  const registers = [registry];
  const pullRequests = new Counter({
    name: 'mcp_gitops_update_pull_requests_total',
    help: 'What update runs did per pull request or group: opened, updated, unchanged, closed-before (closed by a person, not reopened), outside-schedule, failed.',
    labelNames: ['action'],
    registers,
  });
  for (const action of PR_ACTIONS) pullRequests.inc({ action }, 0);
  return {
    pending: new Gauge({
      name: 'mcp_gitops_updates_pending',
      help: 'Whether the last update check proposes a newer version of the server (its policy allows one): 1 or 0.',
      labelNames: ['server'],
      registers,
    }),
    proposedInfo: new Gauge({
      name: 'mcp_gitops_update_proposed_info',
      help: 'The version the last update check proposes for the server (always 1; absent when the version is not plainly a version).',
      labelNames: ['server', 'version'],
      registers,
    }),
    checkErrors: new Gauge({
      name: 'mcp_gitops_update_check_errors',
      help: 'Pins of the server the last update check could not check (registry down, garbage answer, unknown package).',
      labelNames: ['server'],
      registers,
    }),
    pullRequests,
    lastCheck: new Gauge({
      name: 'mcp_gitops_updates_last_check_timestamp_seconds',
      help: 'Unix time of the last update check that ran to the end.',
      registers,
    }),
    servers: new Set(),
    proposed: new Set(),
  };
}
