import type { SupervisorKind } from './process-settings.js';
import { pidfileSupervisor } from './supervise-pidfile.js';
import { startStopDaemonSupervisor } from './supervise-start-stop-daemon.js';
import { systemdSupervisor } from './supervise-systemd.js';
import type { Supervisor } from './supervisor.js';

const supervisors: Record<SupervisorKind, Supervisor> = {
  systemd: systemdSupervisor,
  'start-stop-daemon': startStopDaemonSupervisor,
  pidfile: pidfileSupervisor,
};

export function getSupervisor(kind: SupervisorKind): Supervisor {
  return supervisors[kind];
}
