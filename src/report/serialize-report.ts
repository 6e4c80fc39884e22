/**
 * A report as committed: JSON with a fixed key order (the document's own order for known keys,
 * alphabetical for the rest), 2-space indent, trailing newline, and every secret redacted.
 */
import { McpGitopsError } from '../core/errors.js';
import type { TargetReport } from '../core/report.js';
import { redactor } from '../log/redact.js';

const ORDER = [
  'apiVersion',
  'kind',
  'environment',
  'target',
  'provider',
  'host',
  'retired',
  'suspended',
  'revision',
  'conditions',
  'facts',
  'inventory',
  'drift',
  'findings',
  'lastApply',
  'runs',
  // retired
  'environmentRemoved',
  'prune',
  // revision
  'applied',
  'attempted',
  // finding (then reason, path)
  'file',
  'client',
  'entry',
  // condition
  'type',
  'status',
  'reason',
  'message',
  // inventory, change result, drift, run
  'server',
  'name',
  'version',
  'transport',
  'specHash',
  'health',
  'toolCount',
  'toolsHash',
  'surface',
  'protocol',
  'endpoint',
  // inventory surface (tools are name, fingerprint)
  'fingerprint',
  'tools',
  'prompts',
  'resourceTemplates',
  'instructionsFingerprint',
  // inventory protocol (serverInfo is name, version, title)
  'protocolVersion',
  'handshake',
  'serverInfo',
  'title',
  'capabilities',
  'action',
  'outcome',
  'paths',
  'diffs',
  'path',
  'before',
  'after',
  'result',
  'changed',
  'failed',
  'drifted',
];
const RANK = new Map(ORDER.map((k, i) => [k, i]));

export function serializeReport(report: TargetReport): string {
  // A report whose keys are all in order already (what buildTargetReport makes, and any report
  // read back) is stringified as it is: copying it in order gave the same text, and was most of
  // writing a 1,000-server report.
  const ordered = inOrder(report) ? report : order(report);
  return redactor.redact(`${JSON.stringify(ordered, null, 2)}\n`);
}

/** Whether every object in `value` is plain and has its own keys in the order `order` would give them. */
export function inOrder(value: unknown, free = false): boolean {
  if (Array.isArray(value)) {
    for (const v of value) if (!inOrder(v, free)) return false;
    return true;
  }
  if (value === null || typeof value !== 'object') return true;
  // Anything but plain data (a toJSON, a class) goes through order's copy, as before.
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  let previous: string | undefined;
  for (const key of Object.keys(value)) {
    if (
      previous !== undefined &&
      !(free
        ? previous < key
        : rank(previous) - rank(key) < 0 || (rank(previous) === rank(key) && previous < key))
    )
      return false;
    previous = key;
    const v = (value as Record<string, unknown>)[key];
    if (!inOrder(v, free || key === 'facts' || key === 'before' || key === 'after')) return false;
  }
  return true;
}

/**
 * Sorted key lists by the keys as they come (and whether order is free): a report repeats a few
 * shapes (an inventory entry, a run, a condition) hundreds of times, and sorting each again with
 * rank lookups was most of writing a 1,000-server report. Per call: never shared across reports.
 */
type SortedKeys = Map<string, string[]>;

function sortedKeys(value: object, free: boolean, memo: SortedKeys): string[] {
  const own = Object.keys(value);
  const shape = (free ? 'f' : 'r') + JSON.stringify(own); // unambiguous whatever a key holds
  let keys = memo.get(shape);
  if (!keys) {
    keys = own.sort((a, b) => (free ? compare(a, b) : rank(a) - rank(b) || compare(a, b)));
    memo.set(shape, keys);
  }
  return keys;
}

function order(value: unknown, free = false, memo: SortedKeys = new Map()): unknown {
  if (Array.isArray(value)) return value.map((v) => order(v, free, memo));
  if (value === null || typeof value !== 'object') return value;
  const keys = sortedKeys(value, free, memo);
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const v = (value as Record<string, unknown>)[key];
    // Values users wrote (facts, diff values) keep plain alphabetical order.
    if (v !== undefined)
      out[key] = order(v, free || key === 'facts' || key === 'before' || key === 'after', memo);
  }
  return out;
}

function rank(key: string): number {
  return RANK.get(key) ?? ORDER.length;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Reads a committed report back (for the previous run and for `status`). */
export function parseReport(text: string, file = 'report'): TargetReport {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new McpGitopsError('ERR_IO', `${file}: not valid JSON (${(err as Error).message})`, {
      hint: 'reports are written by mcp-gitops only; restore the file from git or delete it to start over',
    });
  }
  const report = data as Partial<TargetReport> | null;
  if (report?.kind !== 'TargetReport' || !Array.isArray(report?.inventory) || !Array.isArray(report?.runs)) {
    throw new McpGitopsError('ERR_IO', `${file}: not an mcp-gitops TargetReport`, {
      hint: 'reports are written by mcp-gitops only; restore the file from git or delete it to start over',
    });
  }
  return report as TargetReport;
}
