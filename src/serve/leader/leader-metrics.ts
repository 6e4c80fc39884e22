/**
 * `/metrics` under leader election: `mcp_gitops_leader` (1 on the replica that leads, 0 on the
 * others), `mcp_gitops_leader_info` (1, labelled with the holder this replica last read) and
 * `mcp_gitops_leader_transitions_total` (holder changes this replica has seen since it started, its own takeovers included).
 */
import { Counter, Gauge, type Registry } from 'prom-client';

export interface LeaderMetrics {
  leading(yes: boolean): void;
  holder(identity: string): void;
}

export function createLeaderMetrics(registry: Registry, lease: string, identity: string): LeaderMetrics {
  const leader = new Gauge({
    name: 'mcp_gitops_leader',
    help: 'Whether this replica leads (1) or follows (0), by Lease and this replica’s identity',
    labelNames: ['lease', 'identity'],
    registers: [registry],
  });
  const info = new Gauge({
    name: 'mcp_gitops_leader_info',
    help: 'The holder of the Lease as this replica last read it (empty: none)',
    labelNames: ['lease', 'holder'],
    registers: [registry],
  });
  const transitions = new Counter({
    name: 'mcp_gitops_leader_transitions_total',
    help: 'Changes of the Lease holder this replica has seen, its own takeovers included',
    labelNames: ['lease'],
    registers: [registry],
  });
  leader.set({ lease, identity }, 0);
  transitions.inc({ lease }, 0);
  // The holder found at start is not a change this replica saw happen.
  let first = true;
  return {
    leading: (yes) => leader.set({ lease, identity }, yes ? 1 : 0),
    holder: (holder) => {
      info.reset();
      info.set({ lease, holder }, 1);
      if (holder !== '' && !first) transitions.inc({ lease });
      first = false;
    },
  };
}
