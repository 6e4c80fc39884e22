/**
 * The drift page (`/drift`): every server whose target differs from git and was left so, by
 * environment and target, with the drifted field paths and the values before and after: from the
 * last plan serve made of it (live), else from the report's last change of that server.
 */
import type { FieldDiff } from '../../core/plan.js';
import { esc } from '../escape.js';
import { type Links, sitePath } from '../links.js';
import type { ReportSet } from '../read-reports.js';
import { badge } from './layout.js';
import { diffTable } from './server.js';

/** Field diffs the process saw in its last plan of a server (serve only); the report keeps paths. */
export type DriftDiffs = (environment: string, target: string, server: string) => readonly FieldDiff[];

export function driftMain(set: ReportSet, links: Links, seen?: DriftDiffs): string {
  const items: string[] = [];
  for (const r of set.reports) {
    for (const d of r.drift) {
      const planned = seen?.(r.environment, r.target, d.server) ?? [];
      const recorded = r.lastApply.find((a) => a.server === d.server)?.diffs ?? [];
      const diffs = (planned.length ? planned : recorded).filter((f) => d.paths.includes(f.path));
      items.push(`<li data-testid="drift-${esc(`${r.environment}-${r.target}-${d.server}`)}"><h2><a href="${esc(links.page(sitePath('env', r.environment, 'server', d.server)))}">${esc(d.server)}</a> on ${esc(r.environment)}/${esc(r.target)} ${badge('drifted')}</h2>
<p>Fields: ${d.paths.map((p) => `<code>${esc(p)}</code>`).join(', ')}</p>
${diffs.length ? diffTable(`Field diff of ${d.server}`, diffs) : ''}</li>`);
    }
  }
  return `<h1>Drift</h1>
<p class="muted">What differs on the targets from what git declares and was left so (drift mode warn, or a suspended environment). <code>tools.*</code> paths are tool surfaces that differ from their lock.</p>
${items.length ? `<ul class="plain" data-testid="drift-list">\n${items.join('\n')}\n</ul>` : '<p data-testid="drift-list">Nothing drifted.</p>'}`;
}
