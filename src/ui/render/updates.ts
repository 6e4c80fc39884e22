/**
 * The "Updates" section of the overview: when the last updates run checked (and the config
 * revision it read), then one row per server pin: current, proposed, held releases and why, why it
 * could not be checked, and its pull request. Every value is registry or report text: it goes
 * through `esc` and links only through the model's http(s) check.
 */
import { esc, testId } from '../escape.js';
import type { UpdateRow, UpdatesModel } from '../model/updates.js';
import { badge, table } from './layout.js';

export function updatesSection(m: UpdatesModel): string {
  const warning = m.warning
    ? `<p data-testid="updates-warning">${badge('error')} The last updates report cannot be read: ${esc(m.warning)}</p>`
    : '';
  if (m.checkedAt === undefined)
    return `<section data-testid="updates"><h2 id="updates">Updates</h2>
${warning}<p class="muted">No updates run saved yet: run <code>mcp-gitops updates</code>, or serve with <code>--updates-interval</code>.</p></section>`;
  const facts = `<p class="muted" data-testid="updates-facts">Checked <time datetime="${esc(m.checkedAt)}">${esc(m.checkedAt)}</time> at config <code>${esc((m.revision ?? '').slice(0, 12))}</code>: ${m.pending} proposed, ${m.errors} could not be checked${m.requests !== undefined ? `, ${m.requests} registry requests` : ''}.</p>`;
  return `<section data-testid="updates"><h2 id="updates">Updates</h2>
${warning}${facts}
${table(
  'Newer versions the update policy allows, by server',
  ['Server', 'Environments', 'Package', 'Current', 'Proposed', 'Held', 'Error', 'Pull request'],
  m.rows.map(rowHtml),
  'No server has an update policy that checks a registry.',
)}</section>`;
}

function rowHtml(r: UpdateRow): string {
  const proposed = r.proposed
    ? r.proposedUrl
      ? `<a href="${esc(r.proposedUrl)}" rel="noreferrer"><code>${esc(r.proposed)}</code></a>`
      : `<code>${esc(r.proposed)}</code>`
    : `<span class="muted">${r.skipped ? `skipped: ${esc(r.skipped)}` : 'none'}</span>`;
  const held = r.held.length
    ? `<details><summary>${r.held.length} held</summary><ul>${r.held.map((h) => `<li>${esc(h)}</li>`).join('')}</ul></details>`
    : '0';
  const problems = [
    ...(r.error !== undefined ? [`${badge('error')} ${esc(r.error)}`] : []),
    ...r.warnings.map((w) => `<span class="muted">${esc(w)}</span>`),
  ];
  return (
    `<tr data-testid="${testId('update', r.server, ...r.environments)}"><th scope="row">${esc(r.server)}</th>` +
    `<td>${r.environments.map((e) => esc(e)).join(', ')}</td>` +
    `<td><span class="muted">${esc(r.kind)}</span> <code>${esc(r.identifier)}</code>${r.registry !== undefined ? ` <span class="muted">from <code>${esc(r.registry)}</code></span>` : ''}</td>` +
    `<td><code>${esc(r.current)}</code></td><td>${proposed}</td><td>${held}</td>` +
    `<td>${problems.join('<br>') || '<span class="muted">none</span>'}</td>` +
    `<td>${pullRequestHtml(r)}</td></tr>`
  );
}

function pullRequestHtml(r: UpdateRow): string {
  const pr = r.pullRequest;
  if (!pr) return '<span class="muted">none</span>';
  const label = pr.number !== undefined ? `#${pr.number}` : 'pull request';
  const link = pr.url ? `<a href="${esc(pr.url)}" rel="noreferrer">${esc(label)}</a>` : esc(label);
  return `${link} ${badge(pr.action)}${pr.detail ? ` <span class="muted">${esc(pr.detail)}</span>` : ''}`;
}
