/**
 * One server's `ToolsChanged` drift as people read it in `drift`, text plans, Markdown plans and
 * PR comments: a heading line naming what the surface was compared with, then the per-tool diff
 * (render-diff-text.ts / render-diff-markdown.ts, which make every server-supplied text safe).
 */
import { renderSurfaceDiffMarkdown } from './render-diff-markdown.js';
import { renderSurfaceDiffText, surfaceDiffSummary } from './render-diff-text.js';
import { codeSpan, safeText } from './render-safe.js';
import type { ToolsDrift } from './types.js';

function against(drift: ToolsDrift): string {
  return drift.against === 'report'
    ? 'the surface its last report recorded (no lock)'
    : safeText(drift.against, 300);
}

/** `ToolsChanged: tool surface differs from FILE (SUMMARY)`. */
export function toolsDriftHeading(drift: ToolsDrift): string {
  return `ToolsChanged: tool surface differs from ${against(drift)} (${surfaceDiffSummary(drift.diff)})`;
}

/** `WHERE: ToolsChanged: tool surface differs from FILE (SUMMARY)` and the diff, indented by four. */
export function renderToolsDriftText(where: string, drift: ToolsDrift, indent = '    '): string[] {
  return [
    `${where}: ${toolsDriftHeading(drift)}`,
    ...renderSurfaceDiffText(drift.diff).map((l) => `${indent}${l}`),
  ];
}

/** A Markdown section for one server: a bold heading with its name in a code span, then the diff. */
export function renderToolsDriftMarkdown(server: string, drift: ToolsDrift): string {
  const file =
    drift.against === 'report' ? 'its last report (no lock)' : codeSpan(safeText(drift.against, 300));
  return `**${codeSpan(safeText(server, 200))}: ToolsChanged**: tool surface differs from ${file}. ${renderSurfaceDiffMarkdown(drift.diff)}`;
}
