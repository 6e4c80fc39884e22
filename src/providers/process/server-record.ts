/**
 * What the provider keeps per server on the host (`spec.json`, its inventory entry), and the
 * comparable shape planning diffs: `render(desired)` and `observe`'s `actual` are built by the
 * same function, so a server in sync shows no difference and a dead one shows `running: false`.
 */
import type { ServerSpec } from '../../core/resources.js';
import type { SupervisorKind } from './process-settings.js';

export interface ServerRecord {
  formatVersion: 1;
  environment: string;
  target: string;
  server: string;
  spec: ServerSpec;
  specHash: string;
  version?: string;
  port?: number;
  listenHost: string;
  supervisor: SupervisorKind;
  /** The program and arguments run by the launcher (no secrets: those are in the env file). */
  command: string[];
}

export interface ProcessActual {
  running: boolean;
  version?: string;
  port?: number;
  listenHost: string;
}

export function comparable(fields: ProcessActual): Record<string, unknown> {
  const out: Record<string, unknown> = { running: fields.running };
  if (fields.version !== undefined) out.version = fields.version;
  if (fields.port !== undefined) out.port = fields.port;
  out.listenHost = fields.listenHost;
  return out;
}

export function isServerRecord(value: unknown): value is ServerRecord {
  if (!value || typeof value !== 'object') return false;
  const v = value as Partial<ServerRecord>;
  return v.formatVersion === 1 && typeof v.server === 'string' && typeof v.specHash === 'string' && !!v.spec;
}
