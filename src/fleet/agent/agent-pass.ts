/**
 * One pass of the laptop agent: the bundle (the hub's, or the cached one while offline) → the
 * engine's own loop (`runLoop`, with the real providers, hosts, secrets and MCP verification, so a
 * laptop converges exactly as a config-repo target does; secret refs resolve here, on the laptop)
 * → a report per fleet target → delivered to the hub, or queued. A suspended environment is
 * planned only: nothing is applied and its pending changes are reported as drift.
 */
import { createEngineDeps } from '../../engine/default-deps.js';
import { createEffects } from '../../engine/effects.js';
import { runLoop } from '../../engine/run-loop.js';
import type { EngineDeps } from '../../engine/types.js';
import { redactor } from '../../log/redact.js';
import type {
  AgentReport,
  AgentTargetReport,
  FleetBundle,
  MachineTargetState,
  SignedBundle,
} from '../protocol.js';
import { FLEET_LIMITS } from '../protocol.js';
import { engineRoot } from './agent-files.js';
import { chooseBundle } from './bundle-source.js';
import { desiredFromBundle } from './desired-from-bundle.js';
import { type AgentIdentity, loadIdentity, rotateIfDue } from './identity.js';
import { type KnownServer, type LastPass, readLastPass, writeLastPass } from './last-pass.js';
import { machineFacts } from './machine-facts.js';
import { withPassLock } from './pass-lock.js';
import { reportFromRun } from './report-from-run.js';
import { type Delivery, sendReport } from './send-report.js';

export interface PassOptions {
  stateDir: string;
  rotateAfterMs: number;
  deps?: Partial<EngineDeps>;
}

export interface PassResult {
  outcome: MachineTargetState;
  source: 'hub' | 'not-modified' | 'cache';
  /** Undefined when no fleet target matches this machine (then nothing was reconciled or reported). */
  bundle?: FleetBundle;
  report?: AgentReport;
  delivery?: Delivery;
  notes: string[];
}

export function runPass(options: PassOptions): Promise<PassResult> {
  return withPassLock(options.stateDir, () => lockedPass(options));
}

async function lockedPass(options: PassOptions): Promise<PassResult> {
  const { stateDir } = options;
  const notes: string[] = [];
  let identity = await loadIdentity(stateDir);
  try {
    ({ identity } = await rotateIfDue({ stateDir, identity, rotateAfterMs: options.rotateAfterMs }));
  } catch (err) {
    notes.push(`key not rotated: ${(err as Error).message}`);
  }
  const previous = await readLastPass(stateDir);
  let choice: Awaited<ReturnType<typeof chooseBundle>>;
  try {
    choice = await chooseBundle(stateDir, identity);
  } catch (err) {
    // No bundle to act on (revoked, never fetched, refused): `agent status` says so.
    await writeLastPass(stateDir, {
      ...(previous ?? { digests: {}, targets: {}, servers: {}, reportDelivered: false }),
      at: new Date().toISOString(),
      outcome: 'error',
      source: undefined,
      notes: redactAll([...notes, (err as Error).message]),
    });
    throw err;
  }
  identity = choice.identity;
  notes.push(...choice.notes);
  const signed = choice.signed;
  if (!signed) {
    const result: PassResult = { outcome: 'in-sync', source: choice.source, notes: redactAll(notes) };
    await writeLastPass(stateDir, {
      at: new Date().toISOString(),
      outcome: 'in-sync',
      source: choice.source,
      digests: {},
      targets: {},
      reportDelivered: false,
      notes: result.notes,
      servers: {},
    });
    return result;
  }
  try {
    const report = await reconcileBundle({ ...options, identity, signed, previous });
    const delivery = await sendReport(stateDir, identity, report.report);
    if (delivery.note) notes.push(delivery.note);
    const result: PassResult = {
      outcome: report.outcome,
      source: choice.source,
      bundle: signed.bundle,
      report: report.report,
      delivery,
      notes: redactAll(notes),
    };
    await writeLastPass(stateDir, {
      at: new Date().toISOString(),
      outcome: result.outcome,
      source: result.source,
      revision: signed.bundle.revision,
      digests: Object.fromEntries(signed.bundle.targets.map((t) => [t.name, t.digest])),
      targets: Object.fromEntries(report.report.targets.map((t) => [t.target, t.state])),
      reportDelivered: delivery.delivered,
      notes: result.notes,
      servers: report.known,
    });
    return result;
  } catch (err) {
    await writeLastPass(stateDir, {
      ...(previous ?? { digests: {}, targets: {}, servers: {}, reportDelivered: false }),
      at: new Date().toISOString(),
      outcome: 'error',
      source: choice.source,
      revision: signed.bundle.revision,
      notes: redactAll([...notes, (err as Error).message]),
    });
    throw err;
  }
}

async function reconcileBundle(
  input: PassOptions & {
    identity: AgentIdentity;
    signed: SignedBundle;
    previous: LastPass | undefined;
  },
): Promise<{ report: AgentReport; outcome: MachineTargetState; known: LastPass['servers'] }> {
  const bundle = input.signed.bundle;
  const desired = desiredFromBundle(bundle);
  const deps = createEngineDeps(engineRoot(input.stateDir), input.deps);
  const effects = createEffects(false, deps.logger);
  const knownBefore = input.previous?.servers ?? {};
  const loop = await runLoop({
    desired,
    deps,
    effects,
    root: engineRoot(input.stateDir),
    planOnly: bundle.sync.suspend,
    // Servers not changed by this pass are verified again only when the last pass did not know
    // them healthy at their current spec.
    recheck: (_env, target, server) => {
      const want = bundle.targets.find((t) => t.name === target)?.servers.find((s) => s.name === server);
      const known = knownBefore[target]?.[server];
      return !want || known?.health !== 'healthy' || known.specHash !== want.specHash;
    },
  });
  const gate = loop.environments.find((e) => e.environment === bundle.environment)?.gate;
  const targets: AgentTargetReport[] = bundle.targets.slice(0, FLEET_LIMITS.targetsPerReport).map((t) =>
    reportFromRun({
      bundleTarget: t,
      plan: loop.plan.targets.find((p) => p.target === t.name),
      run: loop.targets.find((r) => r.target === t.name),
      ...(gate ? { gate } : {}),
      suspended: bundle.sync.suspend,
      known: knownBefore[t.name] ?? {},
    }),
  );
  const known: LastPass['servers'] = {};
  for (const t of targets) {
    const servers: Record<string, KnownServer> = {};
    for (const s of t.servers)
      servers[s.name] = {
        specHash: s.specHash,
        health: s.health,
        ...(s.tools !== undefined ? { tools: s.tools } : {}),
      };
    known[t.target] = servers;
  }
  const report: AgentReport = {
    schema: 'mcp-gitops/fleet-report/v1',
    machineId: input.identity.machineId,
    revision: bundle.revision,
    targets,
    facts: machineFacts(),
  };
  return { report: redactor.redactDeep(report), outcome: worst(targets.map((t) => t.state)), known };
}

function redactAll(notes: string[]): string[] {
  return notes.map((n) => redactor.redact(n));
}

function worst(states: MachineTargetState[]): MachineTargetState {
  if (states.includes('failing')) return 'failing';
  if (states.includes('drifted')) return 'drifted';
  return 'in-sync';
}
