/**
 * What serve saw of a tool at its last reconcile, against the lock: for a changed tool each field
 * that differs (the description as a word diff, schemas and annotations by the JSON paths that
 * differ, with their values), for an added tool its description and input schema. This text comes
 * from the server (hostile), lives only in serve's memory and is shown escaped, bounded and inert;
 * `<del>`/`<ins>` carry the change besides colour.
 */
import { safeJson, safeText } from '../../surface/render-safe.js';
import { wordDiff } from '../../surface/render-word-diff.js';
import type { ToolChange, ToolFieldChange } from '../../surface/types.js';
import { esc, escBlock } from '../escape.js';

/** The part of a tool row for its live change; empty when serve saw none. */
export function liveToolChange(change: ToolChange | undefined): string {
  if (!change) return '';
  if (change.kind === 'removed')
    return '<p class="live"><strong>Now:</strong> the server no longer lists it.</p>';
  if (change.kind === 'added') {
    const a = change.added;
    const description = a?.description ? `<pre><code>${escBlock(a.description)}</code></pre>` : '';
    const schema =
      a?.inputSchema === undefined
        ? ''
        : `<details><summary>Input schema (live)</summary><pre><code>${escBlock(JSON.stringify(a.inputSchema, null, 2) ?? '')}</code></pre></details>`;
    return `<div class="live" data-testid="live-${esc(change.tool)}"><p><strong>Now, not in the lock</strong> (as the server listed it at the last reconcile):</p>${description}${schema}</div>`;
  }
  const fields = (change.fields ?? []).map(fieldPart).join('');
  return `<div class="live" data-testid="live-${esc(change.tool)}"><p><strong>Now, against the lock</strong> (as the server listed it at the last reconcile):</p>${fields}</div>`;
}

function fieldPart(f: ToolFieldChange): string {
  if (f.field === 'description' || f.field === 'title') {
    const before = typeof f.before === 'string' ? f.before : '';
    const after = typeof f.after === 'string' ? f.after : '';
    const parts = wordDiff(before, after)
      .map((p) =>
        p.op === 'same'
          ? escBlock(p.text)
          : p.op === 'removed'
            ? `<del>${escBlock(p.text)}</del>`
            : `<ins>${escBlock(p.text)}</ins>`,
      )
      .join('');
    return `<p>${esc(f.field)}:</p><pre class="word-diff"><code>${parts}</code></pre>`;
  }
  const paths = f.paths?.length
    ? ` at ${f.paths.map((p) => `<code>${esc(p)}</code>`).join(', ')}${f.pathsTruncated ? ' and more' : ''}`
    : '';
  return `<p>${esc(f.field)} changed${paths}: <code class="diff-before">${esc(safeJson(f.before, 400))}</code> → <code class="diff-after">${esc(safeJson(f.after, 400))}</code></p>`;
}

/** The line above the tools table when serve saw the surface differ. */
export function liveToolsNote(against: string | undefined): string {
  return against === undefined
    ? ''
    : `<p class="muted">Rows marked "Now" are what the server listed at serve's last reconcile, compared with ${esc(safeText(against, 200))}; that text is never committed.</p>`;
}
