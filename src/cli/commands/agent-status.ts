/**
 * `agent status`: who this machine is to the hub, the bundle it holds and what its last pass did,
 * read from the agent's state folder only (no hub, no target). Never prints the private key.
 */
import { agentFile, defaultAgentStateDir, readAgentJson } from '../../fleet/agent/agent-files.js';
import { readCachedBundle } from '../../fleet/agent/bundle-cache.js';
import { loadIdentity } from '../../fleet/agent/identity.js';
import { readLastPass } from '../../fleet/agent/last-pass.js';
import { redactor } from '../../log/redact.js';
import { escapeInvisible } from '../../surface/render-safe.js';

export interface StatusFlags {
  stateDir?: string;
  format: 'text' | 'json';
}

export interface AgentStatus {
  stateDir: string;
  machineId: string;
  environment: string;
  hub: string;
  labels: Record<string, string>;
  enrolledAt?: string;
  keyCreatedAt?: string;
  rotationPending: boolean;
  bundle?: {
    revision: string;
    issuedAt: string;
    targets: { name: string; digest: string; release?: string; servers: string[] }[];
  };
  bundleError?: string;
  lastPass?: {
    at: string;
    outcome: string;
    source?: string;
    targets: Record<string, string>;
    reportDelivered: boolean;
    notes: string[];
  };
  pendingReport: boolean;
}

export async function agentStatus(stateDir: string): Promise<AgentStatus> {
  const identity = await loadIdentity(stateDir);
  const status: AgentStatus = {
    stateDir,
    machineId: identity.machineId,
    environment: identity.environment,
    hub: identity.hubUrl,
    labels: identity.labels,
    ...(identity.enrolledAt ? { enrolledAt: new Date(identity.enrolledAt).toISOString() } : {}),
    ...(identity.keyCreatedAt ? { keyCreatedAt: new Date(identity.keyCreatedAt).toISOString() } : {}),
    rotationPending: identity.pendingPrivateKeyPem !== undefined,
    pendingReport: (await readAgentJson(stateDir, 'pendingReport')) !== undefined,
  };
  try {
    const cached = await readCachedBundle(stateDir, identity);
    if (cached) {
      const b = cached.signed.bundle;
      status.bundle = {
        revision: b.revision,
        issuedAt: b.issuedAt,
        targets: b.targets.map((t) => ({
          name: t.name,
          digest: t.digest,
          ...(t.release ? { release: t.release } : {}),
          servers: t.servers.map((s) => s.name),
        })),
      };
    }
  } catch (err) {
    status.bundleError = (err as Error).message;
  }
  const last = await readLastPass(stateDir);
  if (last) {
    status.lastPass = {
      at: last.at,
      outcome: last.outcome,
      ...(last.source ? { source: last.source } : {}),
      targets: last.targets,
      reportDelivered: last.reportDelivered,
      notes: last.notes,
    };
  }
  return status;
}

export function renderStatus(s: AgentStatus): string {
  const lines = [
    `machine     ${s.machineId} (environment ${s.environment})`,
    `hub         ${s.hub}`,
    `labels      ${
      Object.entries(s.labels)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ') || '(none)'
    }`,
    `enrolled    ${s.enrolledAt ?? 'unknown'}; key made ${s.keyCreatedAt ?? 'unknown'}${s.rotationPending ? ' (a rotation is pending)' : ''}`,
  ];
  if (s.bundle) {
    lines.push(`bundle      revision ${s.bundle.revision.slice(0, 12)}, issued ${s.bundle.issuedAt}`);
    for (const t of s.bundle.targets)
      lines.push(
        `  ${t.name}  ${t.digest.slice(0, 12)}${t.release ? ` (${t.release})` : ''}  ${t.servers.join(', ') || '(no servers)'}`,
      );
  } else lines.push(`bundle      ${s.bundleError ?? 'none yet (run `mcp-gitops agent run --once`)'}`);
  if (s.lastPass) {
    const targets = Object.entries(s.lastPass.targets)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ');
    lines.push(
      `last pass   ${s.lastPass.at}: ${s.lastPass.outcome}${targets ? ` (${targets})` : ''}${s.lastPass.source ? `, bundle ${s.lastPass.source}` : ''}, report ${s.lastPass.reportDelivered ? 'delivered' : 'not delivered'}`,
    );
    for (const n of s.lastPass.notes) lines.push(`  ${n}`);
  } else lines.push('last pass   none yet');
  if (s.pendingReport)
    lines.push(`pending     a report waits for the hub (${agentFile(s.stateDir, 'pendingReport')})`);
  return `${lines.map((l) => escapeInvisible(l)).join('\n')}\n`;
}

export async function runStatus(flags: StatusFlags): Promise<void> {
  const status = await agentStatus(flags.stateDir ?? defaultAgentStateDir());
  const text = flags.format === 'json' ? `${JSON.stringify(status, null, 2)}\n` : renderStatus(status);
  process.stdout.write(redactor.redact(text));
}
