/**
 * A verified, schema-valid report folded into its machine's record (pure): each reported target's
 * last report with the time it arrived, the facts refreshed (with the built-in `os` / `arch`
 * labels), and targets the machine is no longer given dropped.
 */
import type { AgentReport } from '../protocol.js';
import type { MachineRecord } from '../rollout/types.js';

/** The target names of `report` the machine was not given, if any (the report is then refused). */
export function unknownTargets(report: AgentReport, given: ReadonlySet<string>): string[] {
  return report.targets.map((t) => t.target).filter((name) => !given.has(name));
}

export function applyReport(
  machine: MachineRecord,
  report: AgentReport,
  given: ReadonlySet<string>,
  now: number,
): MachineRecord {
  const targets: MachineRecord['targets'] = {};
  for (const [name, last] of Object.entries(machine.targets)) if (given.has(name)) targets[name] = last;
  for (const t of report.targets) targets[t.target] = { ...t, reportedAt: now };
  return {
    ...machine,
    facts: report.facts,
    labels: { ...machine.labels, os: report.facts.os, arch: report.facts.arch },
    lastSeen: now,
    targets,
  };
}
