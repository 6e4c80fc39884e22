/**
 * JSON Schemas of what agents send (enrolment, report, key rotation), compiled once per hub with
 * ajv. Everything an agent says is untrusted: every string and array has a cap (FLEET_LIMITS), no
 * unknown field is accepted, and names are held to the shapes the config gives them.
 */
import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import type { AgentReport, EnrollRequest, RotateRequest } from '../protocol.js';
import { FLEET_LIMITS as L } from '../protocol.js';

type AjvModule = typeof import('ajv/dist/2020.js');

const NAME = { type: 'string', minLength: 1, maxLength: 128 } as const;
const PUBLIC_KEY = { type: 'string', minLength: 1, maxLength: 200 } as const;
const FACT = { type: 'string', maxLength: L.factChars } as const;

const FACTS = {
  type: 'object',
  additionalProperties: false,
  required: ['hostname', 'os', 'arch', 'user', 'agentVersion'],
  properties: { hostname: FACT, os: FACT, arch: FACT, user: FACT, agentVersion: FACT },
} as const;

export const ENROLL_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['token', 'publicKey', 'facts'],
  properties: { token: { type: 'string', maxLength: 100 }, publicKey: PUBLIC_KEY, facts: FACTS },
} as const;

export const ROTATE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['publicKey'],
  properties: { publicKey: PUBLIC_KEY },
} as const;

const SERVER = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'specHash', 'outcome', 'health'],
  properties: {
    name: NAME,
    specHash: { type: 'string', maxLength: 128 },
    outcome: { enum: ['unchanged', 'applied', 'failed', 'rolled-back', 'skipped'] },
    health: { enum: ['healthy', 'unhealthy', 'starting', 'unknown'] },
    tools: { type: 'integer', minimum: 0, maximum: 100_000 },
    reason: { type: 'string', maxLength: L.reasonChars },
  },
} as const;

const TARGET = {
  type: 'object',
  additionalProperties: false,
  required: ['target', 'digest', 'state', 'servers', 'drift'],
  properties: {
    target: NAME,
    digest: { type: 'string', pattern: '^[0-9a-f]{64}$' },
    state: { enum: ['in-sync', 'drifted', 'failing'] },
    servers: { type: 'array', maxItems: L.serversPerTarget, items: SERVER },
    drift: {
      type: 'array',
      maxItems: L.serversPerTarget,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['server', 'paths'],
        properties: {
          server: NAME,
          paths: {
            type: 'array',
            maxItems: L.driftPathsPerServer,
            items: { type: 'string', maxLength: 256 },
          },
        },
      },
    },
    error: { type: 'string', maxLength: L.reasonChars },
  },
} as const;

export const REPORT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['schema', 'machineId', 'revision', 'targets', 'facts'],
  properties: {
    schema: { const: 'mcp-gitops/fleet-report/v1' },
    machineId: { type: 'string', maxLength: 64 },
    revision: { type: 'string', maxLength: 100 },
    targets: { type: 'array', maxItems: L.targetsPerReport, items: TARGET },
    facts: FACTS,
  },
} as const;

export interface WireValidators {
  enroll: ValidateFunction<EnrollRequest>;
  report: ValidateFunction<AgentReport>;
  rotate: ValidateFunction<RotateRequest>;
}

/** Compile the three validators (ajv is loaded here, on first use, not when the CLI starts). */
export function compileWireValidators(): WireValidators {
  const { Ajv2020 } = createRequire(import.meta.url)('ajv/dist/2020.js') as AjvModule;
  const ajv = new Ajv2020({ allErrors: false, strict: true, logger: false });
  return {
    enroll: ajv.compile<EnrollRequest>(ENROLL_SCHEMA),
    report: ajv.compile<AgentReport>(REPORT_SCHEMA),
    rotate: ajv.compile<RotateRequest>(ROTATE_SCHEMA),
  };
}
