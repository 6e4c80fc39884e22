/** What goes back into git: `reports/<env>/<target>.json` (DESIGN.md §6). */
import type { Action, FieldDiff, RetiredInfo } from './plan.js';
import type { Health } from './state.js';

export type ConditionType = 'Ready' | 'Reconciling' | 'Stalled';
export interface Condition {
  type: ConditionType;
  status: 'True' | 'False';
  reason: string;
  message: string;
}

export type ChangeOutcome = 'applied' | 'failed' | 'rolled-back' | 'skipped' | 'unchanged';

export interface ChangeResult {
  server: string;
  action: Action;
  outcome: ChangeOutcome;
  message?: string;
  diffs?: FieldDiff[];
}

export interface InventoryEntry {
  server: string;
  version?: string;
  transport: string;
  specHash: string;
  health: Health;
  toolCount?: number;
  toolsHash?: string;
  endpoint?: string;
}

export interface RunRecord {
  revision?: string;
  result: 'success' | 'failed' | 'no-op' | 'stalled';
  changed: number;
  failed: number;
  drifted: number;
}

export interface TargetReport {
  apiVersion: 'mcp-gitops/v1';
  kind: 'TargetReport';
  environment: string;
  target: string;
  provider: string;
  host: string;
  /**
   * Set while a target removed from the repo still has servers mcp-gitops put there (kept because
   * `sync.prune` is false, or not deleted yet). Its report is removed once nothing is left.
   */
  retired?: RetiredInfo;
  revision: { applied?: string; attempted?: string };
  conditions: Condition[];
  facts?: Record<string, string>;
  inventory: InventoryEntry[];
  drift: { server: string; paths: string[] }[];
  lastApply: ChangeResult[];
  /** Newest first, at most 5. */
  runs: RunRecord[];
}
