/**
 * The overview page (`/`): serve's facts, one row per environment (sync and health badges,
 * applied revision, newest tag, suspension, servers by health), the fleet and tool-surface
 * sections (shared with earlier status pages), unreadable report files and the last reconciles this process ran.
 */
import { fleetSection } from '../../serve/fleet-section.js';
import { toolSurfaceSection } from '../../serve/tool-surface-section.js';
import { esc } from '../escape.js';
import { type Links, sitePath } from '../links.js';
import type { OverviewModel } from '../model/overview.js';
import { HEALTHS } from '../model/target-state.js';
import { serveFacts } from './facts.js';
import { badge, scrolling, table } from './layout.js';

export function overviewMain(m: OverviewModel, links: Links): string {
  const rows = m.environments.map((e) => {
    const counts = HEALTHS.filter((h) => e.counts[h] > 0)
      .map((h) => `${e.counts[h]} ${h}`)
      .join(', ');
    return (
      `<tr data-testid="env-${esc(e.environment)}"><th scope="row"><a href="${esc(links.page(sitePath('env', e.environment)))}">${esc(e.environment)}</a></th>` +
      `<td>${badge(e.sync, `sync-${e.environment}`)}</td>` +
      `<td>${badge(e.health, `health-${e.environment}`)}</td>` +
      `<td>${e.targets}</td><td>${e.servers}${counts ? ` <span class="muted">(${esc(counts)})</span>` : ''}</td>` +
      `<td>${e.drifted > 0 ? `<a href="${esc(links.page('/drift'))}">${e.drifted}</a>` : '0'}</td>` +
      `<td>${e.revisions.map((r) => `<code>${esc(r)}</code>`).join(' ') || '<span class="muted">none</span>'}</td>` +
      `<td>${e.tag ? `<code>${esc(e.tag)}</code>` : '<span class="muted">none</span>'}</td>` +
      `<td>${e.suspended ? `${badge('suspended')}${e.suspended.reason ? ` ${esc(e.suspended.reason)}` : ''}` : 'no'}</td></tr>`
    );
  });
  const t = m.totals;
  const summary = `<ul class="cards" data-testid="health-counts">${HEALTHS.map((h) => `<li>${badge(h)} <strong>${t[h]}</strong> server${t[h] === 1 ? '' : 's'}</li>`).join('')}</ul>`;
  const unreadable = m.unreadable.length
    ? `<h2>Unreadable reports</h2><ul>${m.unreadable.map((f) => `<li><code>${esc(f)}</code>: not a TargetReport</li>`).join('')}</ul>`
    : '';
  const recent = m.recent
    ? table(
        'Last reconciles by this process, newest first',
        ['Finished', 'Environment', 'Trigger', 'Result', 'Revision', 'Took'],
        m.recent.map(
          (r) =>
            `<tr><td><time datetime="${esc(r.finishedAt)}">${esc(r.finishedAt)}</time></td><td>${esc(r.environment)}</td><td>${esc(r.trigger)}</td><td>${badge(r.result)}</td><td><code>${esc(r.revision)}</code></td><td>${r.seconds.toFixed(2)} s</td></tr>`,
        ),
        'none yet',
      )
    : '';
  return `<h1>Environments</h1>
${serveFacts(m.facts)}
${summary}
${table('Environments', ['Environment', 'Sync', 'Health', 'Targets', 'Servers', 'Drifted', 'Applied revision', 'Newest tag', 'Suspended'], rows, 'No reports committed yet: run mcp-gitops reconcile.')}
${scrolling(fleetSection(m.fleet, esc))}
${scrolling(toolSurfaceSection(m.surfaces, esc))}
${unreadable}
${recent ? `<h2>Recent reconciles</h2>\n${recent}` : ''}`;
}
