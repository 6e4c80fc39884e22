/**
 * What the last pass found (`last-pass.json`): for `agent status`, and the health each server was
 * last verified at, so the next pass only speaks to servers that are new, changed or not known
 * healthy (a laptop's agent must not start every server every five minutes).
 */
import type { Health } from '../../core/state.js';
import type { MachineTargetState } from '../protocol.js';
import { readAgentJson, writeAgentJson } from './agent-files.js';

export interface KnownServer {
  specHash: string;
  health: Health;
  tools?: number;
}

export type PassOutcome = MachineTargetState | 'error';

export interface LastPass {
  /** ISO time the pass ended. */
  at: string;
  outcome: PassOutcome;
  /** Where the bundle came from: fetched, unchanged at the hub (304), or the cache while offline. */
  source?: 'hub' | 'not-modified' | 'cache';
  revision?: string;
  /** Target name → digest reconciled against. */
  digests: Record<string, string>;
  /** Target name → state. */
  targets: Record<string, MachineTargetState>;
  reportDelivered: boolean;
  /** Why the pass failed or what it warned about (redacted). */
  notes: string[];
  /** Target → server → what verification last said. */
  servers: Record<string, Record<string, KnownServer>>;
}

export async function readLastPass(stateDir: string): Promise<LastPass | undefined> {
  const data = (await readAgentJson(stateDir, 'lastPass')) as LastPass | undefined;
  return data && typeof data === 'object' && typeof data.at === 'string' ? data : undefined;
}

export async function writeLastPass(stateDir: string, pass: LastPass): Promise<void> {
  await writeAgentJson(stateDir, 'lastPass', pass);
}
