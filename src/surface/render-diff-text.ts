/**
 * A SurfaceDiff as plain text lines for `drift`, text plans and logs: one entry per tool (`+`
 * added, `-` removed, `~` changed), a word diff of a reworded description, schema and annotation
 * changes path by path, escalations marked `!!`. Everything that came from a server goes through
 * render-safe.ts (escaped, bounded), so a hostile description cannot hide or reshape output.
 */
import { diffJson } from './diff-json.js';
import { MAX_TEXT, safeJson, safeText } from './render-safe.js';
import { wordDiff } from './render-word-diff.js';
import type { Escalation, SurfaceDiff, ToolChange, ToolFieldChange } from './types.js';

/** Tools listed in full before the rest are counted (a server can add thousands). */
export const MAX_TOOLS_SHOWN = 50;

/** `Echoes [-old-]{+new+} text`: git's word-diff markers, every part escaped, bounded in all. */
export function renderWordDiff(before: string, after: string, max = MAX_TEXT): string {
  let out = '';
  let budget = max;
  for (const part of wordDiff(before, after)) {
    if (budget <= 0) {
      out += '… (cut)';
      break;
    }
    const text = safeText(part.text, budget);
    budget -= [...part.text].length;
    out += part.op === 'same' ? text : part.op === 'removed' ? `[-${text}-]` : `{+${text}+}`;
  }
  return out;
}

function schemaLines(change: ToolFieldChange): string[] {
  const { changes, truncated } = diffJson(change.before, change.after);
  const lines = changes.map((c) => {
    const path = safeText(c.path, 200);
    if (c.kind === 'added') return `${path}: (added) ${safeJson(c.after)}`;
    if (c.kind === 'removed') return `${path}: (removed) ${safeJson(c.before)}`;
    return `${path}: ${safeJson(c.before)} → ${safeJson(c.after)}`;
  });
  if (truncated || change.pathsTruncated) lines.push('… more paths differ (list cut)');
  return lines;
}

function fieldLines(tool: string, field: ToolFieldChange, escalations: readonly Escalation[]): string[] {
  if (field.field === 'title' || field.field === 'description') {
    const before = typeof field.before === 'string' ? field.before : undefined;
    const after = typeof field.after === 'string' ? field.after : undefined;
    if (before === undefined) return [`${field.field}: (added) ${safeText(after ?? '')}`];
    if (after === undefined) return [`${field.field}: (removed) ${safeText(before)}`];
    return [`${field.field}: ${renderWordDiff(before, after)}`];
  }
  const lines = schemaLines(field);
  if (field.field === 'annotations') {
    const marked = escalations
      .filter((e) => e.tool === tool)
      .map((e) => `!! escalation: ${safeText(e.change, 200)}`);
    return [`annotations:`, ...lines.map((l) => `  ${l}`), ...marked.map((l) => `  ${l}`)];
  }
  return [`${field.field}:`, ...lines.map((l) => `  ${l}`)];
}

function addedLines(change: ToolChange, escalations: readonly Escalation[]): string[] {
  const facts = change.added;
  const lines: string[] = [];
  if (facts?.title !== undefined) lines.push(`title: ${safeText(facts.title)}`);
  if (facts?.description !== undefined) lines.push(`description: ${safeText(facts.description)}`);
  if (facts?.inputSchema !== undefined) lines.push(`inputSchema: ${safeJson(facts.inputSchema, 400)}`);
  if (facts?.outputSchema !== undefined) lines.push(`outputSchema: ${safeJson(facts.outputSchema, 400)}`);
  lines.push(
    `annotations: ${facts?.annotations === undefined ? '(none)' : safeJson(facts.annotations, 400)}`,
  );
  for (const e of escalations.filter((x) => x.tool === change.tool))
    lines.push(`!! escalation: ${safeText(e.change, 200)}`);
  return lines;
}

function toolLines(change: ToolChange, escalations: readonly Escalation[]): string[] {
  const name = safeText(change.tool, 200);
  if (change.kind === 'removed') return [`- ${name}: removed`];
  if (change.kind === 'added') {
    // From fingerprints only, an added tool has no facts to show.
    if (!change.added) return [`+ ${name}: added`];
    return [`+ ${name}: added`, ...addedLines(change, escalations).map((l) => `    ${l}`)];
  }
  if (!change.fields) return [`~ ${name}: changed (which fields is not known: compared by fingerprint)`];
  return [
    `~ ${name}: changed`,
    ...change.fields.flatMap((f) => fieldLines(change.tool, f, escalations)).map((l) => `    ${l}`),
  ];
}

function namesLine(label: string, names: { added: string[]; removed: string[] }): string {
  const parts = [
    ...names.added.map((n) => `+ ${safeText(n, 200)}`),
    ...names.removed.map((n) => `- ${safeText(n, 200)}`),
  ];
  return `${label}: ${parts.join(', ')}`;
}

/** The diff as lines without indentation or heading (the caller says what was compared with what). */
export function renderSurfaceDiffText(diff: SurfaceDiff): string[] {
  const lines: string[] = [];
  for (const change of diff.tools.slice(0, MAX_TOOLS_SHOWN))
    lines.push(...toolLines(change, diff.escalations));
  if (diff.tools.length > MAX_TOOLS_SHOWN)
    lines.push(`… and ${diff.tools.length - MAX_TOOLS_SHOWN} more tools changed`);
  if (diff.instructions) {
    const { before, after } = diff.instructions;
    if (before === undefined && after === undefined)
      lines.push('instructions: changed (compared by fingerprint)');
    else if (before === undefined) lines.push(`instructions: (added) ${safeText(after ?? '')}`);
    else if (after === undefined) lines.push(`instructions: (removed) ${safeText(before)}`);
    else lines.push(`instructions: ${renderWordDiff(before, after)}`);
  }
  if (diff.prompts) lines.push(namesLine('prompts', diff.prompts));
  if (diff.resourceTemplates) lines.push(namesLine('resource templates', diff.resourceTemplates));
  return lines;
}

/** One line summing the diff up: `2 tools changed, 1 added, 1 removed; 1 escalation`. */
export function surfaceDiffSummary(diff: SurfaceDiff): string {
  const count = (kind: ToolChange['kind']) => diff.tools.filter((t) => t.kind === kind).length;
  const parts = [
    ['changed', count('changed')],
    ['added', count('added')],
    ['removed', count('removed')],
  ]
    .filter(([, n]) => (n as number) > 0)
    .map(([k, n]) => `${n} ${k}`);
  const tools = parts.length > 0 ? `tools: ${parts.join(', ')}` : 'tools unchanged';
  const others = [
    diff.instructions ? 'instructions changed' : '',
    diff.prompts ? 'prompts changed' : '',
    diff.resourceTemplates ? 'resource templates changed' : '',
  ].filter(Boolean);
  const esc = diff.escalations.length;
  return [tools, ...others].join(', ') + (esc > 0 ? `; ${esc} escalation${esc === 1 ? '' : 's'}` : '');
}
