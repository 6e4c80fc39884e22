/**
 * Who this machine is to the hub: enrolment (a key pair made here, a one-time token sent with the
 * public half only), the identity file (0600, in the 0700 state folder) with the pinned hub key
 * that every bundle must verify against, and key rotation (signed with the old key; the new key
 * is kept as `pendingPrivateKeyPem` until the hub confirms, so a lost answer never strands the
 * machine with a key the hub no longer accepts).
 */
import { McpGitopsError } from '../../core/errors.js';
import {
  type EnrollRequest,
  type EnrollResponse,
  FLEET_PATHS,
  type MachineFacts,
  type RotateRequest,
} from '../protocol.js';
import { generateKeyPair, parsePublicKey } from '../signing.js';
import { readAgentJson, removeAgentFile, writeAgentJson } from './agent-files.js';
import { checkHubUrl, httpError, hubRequest, type MachineKey, parseJson } from './hub-client.js';

export interface AgentIdentity {
  hubUrl: string;
  /** Plain http:// to a non-loopback hub was chosen at enrolment. */
  insecureHttp: boolean;
  machineId: string;
  environment: string;
  labels: Record<string, string>;
  /** Pinned at enrolment: base64 SPKI DER. */
  hubPublicKey: string;
  privateKeyPem: string;
  /** ms since epoch the current key was made (enrolment or last rotation). */
  keyCreatedAt: number;
  enrolledAt: number;
  /** A rotated key the hub has not confirmed yet. */
  pendingPrivateKeyPem?: string;
}

export const DEFAULT_ROTATE_AFTER_MS = 30 * 24 * 3_600_000;

export function machineKey(identity: AgentIdentity): MachineKey {
  return { machineId: identity.machineId, privateKeyPem: identity.privateKeyPem };
}

export async function enroll(input: {
  stateDir: string;
  hubUrl: string;
  token: string;
  insecureHttp: boolean;
  facts: MachineFacts;
  /** Replace an existing identity (the old machine should be revoked at the hub). */
  force?: boolean;
  now?: number;
}): Promise<AgentIdentity> {
  checkHubUrl(input.hubUrl, input.insecureHttp);
  const existing = (await readAgentJson(input.stateDir, 'identity')) as Partial<AgentIdentity> | undefined;
  if (existing && !input.force) {
    throw new McpGitopsError(
      'ERR_USAGE',
      `this machine is already enrolled as ${String(existing.machineId)} (${input.stateDir})`,
      {
        hint: `pass --force to enrol it anew, then revoke the old machine at the hub: mcp-gitops fleet revoke ${String(existing.machineId)}`,
      },
    );
  }
  const keys = generateKeyPair();
  const request: EnrollRequest = { token: input.token, publicKey: keys.publicKey, facts: input.facts };
  const hub = { hubUrl: input.hubUrl, insecureHttp: input.insecureHttp };
  const res = await hubRequest(hub, { method: 'POST', path: FLEET_PATHS.enroll, body: request });
  if (res.status < 200 || res.status > 299) throw httpError(res, 'enrolment refused');
  const answer = checkEnrollResponse(parseJson(res, 'enrolment'));
  const now = input.now ?? Date.now();
  const identity: AgentIdentity = {
    hubUrl: input.hubUrl.replace(/\/+$/, ''),
    insecureHttp: input.insecureHttp,
    machineId: answer.machineId,
    environment: answer.environment,
    labels: answer.labels,
    hubPublicKey: answer.hubPublicKey,
    privateKeyPem: keys.privateKeyPem,
    keyCreatedAt: now,
    enrolledAt: now,
  };
  await saveIdentity(input.stateDir, identity);
  // What belonged to the old machine id (its bundle, a queued report, its last pass) goes with it.
  for (const file of ['bundle', 'pendingReport', 'lastPass'] as const)
    await removeAgentFile(input.stateDir, file);
  return identity;
}

const ID = /^[A-Za-z0-9._-]{1,128}$/;

function checkEnrollResponse(data: unknown): EnrollResponse {
  const d = (data ?? {}) as Partial<EnrollResponse>;
  const labels = d.labels ?? {};
  const ok =
    typeof d.machineId === 'string' &&
    ID.test(d.machineId) &&
    typeof d.environment === 'string' &&
    ID.test(d.environment) &&
    typeof d.hubPublicKey === 'string' &&
    parsePublicKey(d.hubPublicKey) !== undefined &&
    typeof labels === 'object' &&
    Object.values(labels).every((v) => typeof v === 'string');
  if (!ok) {
    throw new McpGitopsError(
      'ERR_HOST',
      'the hub answered enrolment without a valid machine id, environment or Ed25519 key',
      {
        hint: 'check that the URL is an `mcp-gitops serve --fleet` hub',
      },
    );
  }
  return d as EnrollResponse;
}

export async function saveIdentity(stateDir: string, identity: AgentIdentity): Promise<void> {
  await writeAgentJson(stateDir, 'identity', identity);
}

/** The identity, or an error saying to enrol when there is none. */
export async function loadIdentity(stateDir: string): Promise<AgentIdentity> {
  const data = (await readAgentJson(stateDir, 'identity')) as Partial<AgentIdentity> | undefined;
  if (!data) {
    throw new McpGitopsError('ERR_USAGE', `this machine is not enrolled (no identity in ${stateDir})`, {
      hint: 'run `mcp-gitops agent enroll URL TOKEN` with a token from `mcp-gitops fleet token create`',
    });
  }
  if (
    typeof data.hubUrl !== 'string' ||
    typeof data.machineId !== 'string' ||
    typeof data.hubPublicKey !== 'string' ||
    typeof data.privateKeyPem !== 'string' ||
    typeof data.environment !== 'string'
  ) {
    throw new McpGitopsError('ERR_IO', `${stateDir}/identity.json is not an agent identity`, {
      hint: 'enrol again with `mcp-gitops agent enroll URL TOKEN`',
    });
  }
  return {
    insecureHttp: false,
    labels: {},
    keyCreatedAt: 0,
    enrolledAt: 0,
    ...data,
  } as AgentIdentity;
}

/** Rotates the machine key when it is older than `rotateAfterMs`; returns the identity in use after. */
export async function rotateIfDue(input: {
  stateDir: string;
  identity: AgentIdentity;
  rotateAfterMs: number;
  now?: number;
}): Promise<{ identity: AgentIdentity; rotated: boolean }> {
  const now = input.now ?? Date.now();
  if (now - input.identity.keyCreatedAt < input.rotateAfterMs)
    return { identity: input.identity, rotated: false };
  return { identity: await rotate(input.stateDir, input.identity, now), rotated: true };
}

export async function rotate(
  stateDir: string,
  identity: AgentIdentity,
  now = Date.now(),
): Promise<AgentIdentity> {
  const keys = generateKeyPair();
  // Kept before asking, so a lost answer can be recovered from (see promotePending).
  const pending: AgentIdentity = { ...identity, pendingPrivateKeyPem: keys.privateKeyPem };
  await saveIdentity(stateDir, pending);
  const body: RotateRequest = { publicKey: keys.publicKey };
  const res = await hubRequest(identity, {
    method: 'POST',
    path: FLEET_PATHS.rotate,
    body,
    key: machineKey(identity),
  });
  if (res.status < 200 || res.status > 299) throw httpError(res, 'key rotation refused');
  const rotated: AgentIdentity = { ...identity, privateKeyPem: keys.privateKeyPem, keyCreatedAt: now };
  delete rotated.pendingPrivateKeyPem;
  await saveIdentity(stateDir, rotated);
  return rotated;
}

/**
 * After the hub refused the current key (401): if a rotation was in flight, the hub may have
 * taken the new key without the agent hearing it. The pending key becomes current; the caller
 * retries once with it.
 */
export async function promotePending(
  stateDir: string,
  identity: AgentIdentity,
  now = Date.now(),
): Promise<AgentIdentity | undefined> {
  if (!identity.pendingPrivateKeyPem) return undefined;
  const promoted: AgentIdentity = {
    ...identity,
    privateKeyPem: identity.pendingPrivateKeyPem,
    keyCreatedAt: now,
  };
  delete promoted.pendingPrivateKeyPem;
  await saveIdentity(stateDir, promoted);
  return promoted;
}
