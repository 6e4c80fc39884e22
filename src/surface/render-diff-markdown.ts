/**
 * A SurfaceDiff as Markdown for plans and pull request comments. Escalations are listed above as
 * bullets (tool names in code spans); the per-tool diff is the text rendering inside a fenced
 * block whose fence outlasts any backtick run in it, so nothing a server wrote is interpreted as
 * Markdown (no links, images, mentions or HTML), and invisible characters are shown as escapes.
 */
import { renderSurfaceDiffText, surfaceDiffSummary } from './render-diff-text.js';
import { codeSpan, fencedBlock, safeText } from './render-safe.js';
import type { SurfaceDiff } from './types.js';

export function renderSurfaceDiffMarkdown(diff: SurfaceDiff): string {
  const out: string[] = [surfaceDiffSummary(diff)];
  if (diff.escalations.length > 0) {
    out.push('', '**Escalations** (a tool moved toward more risk):', '');
    for (const e of diff.escalations)
      out.push(`- ⚠️ ${codeSpan(safeText(e.tool, 200))}: ${codeSpan(safeText(e.change, 200))}`);
  }
  const lines = renderSurfaceDiffText(diff);
  if (lines.length > 0) out.push('', fencedBlock(lines.join('\n'), 'diff'));
  return `${out.join('\n')}\n`;
}
