/**
 * An environment's page (`/env/<env>`): each target with its state and why, revisions, and a
 * table of its servers (health badge, why, restarts, tools, drift and lock state), each server
 * linking to its own page.
 */
import { fleetSection } from '../../serve/fleet-section.js';
import { esc } from '../escape.js';
import { type Links, sitePath } from '../links.js';
import type { EnvironmentModel } from '../model/environment.js';
import { badge, scrolling, table } from './layout.js';

export function environmentMain(m: EnvironmentModel, links: Links): string {
  const env = m.environment;
  const suspended = m.suspended
    ? `<p>${badge('suspended')} Nothing is applied to this environment (sync.suspend)${m.suspended.reason ? `: ${esc(m.suspended.reason)}` : ''}. Drift and held changes are still reported.</p>`
    : '';
  const targets = m.targets.map((t) => {
    const rows = t.servers.map((s) => {
      const id = `${env}-${t.target}-${s.server}`;
      const notes = [
        s.drifted ? badge('drifted') : '',
        s.toolsChanged.length
          ? `${badge('differs')} <span class="muted">tools differ from the lock: ${esc(s.toolsChanged.join(', '))}</span>`
          : '',
      ]
        .filter(Boolean)
        .join(' ');
      return (
        `<tr data-testid="server-${esc(id)}"><th scope="row"><a href="${esc(links.page(sitePath('env', env, 'server', s.server)))}">${esc(s.server)}</a></th>` +
        `<td>${esc(s.version)}</td><td>${esc(s.transport)}</td><td>${badge(s.health, `health-${id}`)}</td>` +
        `<td>${esc(s.healthReason)}</td><td>${s.restarts ?? ''}</td><td>${s.toolCount ?? ''}</td><td>${notes}</td></tr>`
      );
    });
    for (const q of t.quarantined)
      rows.push(
        `<tr data-testid="server-${esc(`${env}-${t.target}-${q.server}`)}"><th scope="row"><a href="${esc(links.page(sitePath('env', env, 'server', q.server)))}">${esc(q.server)}</a></th><td></td><td></td><td>${badge('quarantined', `health-${env}-${t.target}-${q.server}`)}</td><td>${esc(q.message)}</td><td></td><td></td><td></td></tr>`,
      );
    return `<section aria-labelledby="t-${esc(t.target)}" data-testid="target-${esc(`${env}-${t.target}`)}">
<h2 id="t-${esc(t.target)}">${esc(t.target)} ${badge(t.state)}</h2>
<p class="muted">${esc(t.provider)} on <code>${esc(t.host)}</code>; applied <code>${esc(t.applied || 'none')}</code>${t.attempted && t.attempted !== t.applied ? `, attempted <code>${esc(t.attempted)}</code>` : ''}${t.why ? `. ${esc(t.why)}` : ''}</p>
${table(`Servers on ${t.target}`, ['Server', 'Version', 'Transport', 'Health', 'Why', 'Restarts', 'Tools', 'Notes'], rows, 'no servers')}
</section>`;
  });
  const checked = m.checked
    ? `<p data-testid="checked-${esc(env)}">${m.checked.by === 'reconcile' ? 'Last verified' : 'Last report change'}: <time datetime="${esc(m.checked.time)}">${esc(m.checked.time)}</time>${m.checked.by === 'reconcile' ? ' (a reconcile by this process observed every target and verified every server)' : ' (the newest report commit; the committed reports carry no time of their own)'}${m.checked.revision ? `, at <code>${esc(m.checked.revision)}</code>` : ''}.</p>`
    : '';
  return `<h1>Environment ${esc(env)}</h1>
${suspended}${checked}
<p>${m.targets.length} target${m.targets.length === 1 ? '' : 's'}; servers: ${m.counts.healthy} healthy, ${m.counts.starting} starting, ${m.counts.unhealthy} unhealthy, ${m.counts.unknown} unknown.</p>
${targets.join('\n') || '<p>No target reports in this environment.</p>'}
${scrolling(fleetSection(m.fleet, esc))}`;
}
