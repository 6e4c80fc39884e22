/**
 * The history pages: `/history` lists the reconciler's runs (its report commits: time,
 * environment, counts from the subject) and the tags, linking commits to the forge when the remote
 * is GitHub or GitLab; `/history/<commit>` shows one run: for each target of its environment the
 * run record, the changes applied with their field diffs, and the conditions, as that commit
 * recorded them.
 */
import { esc, escBlock } from '../escape.js';
import type { Forge } from '../forge.js';
import { type Links, sitePath } from '../links.js';
import type { History, RunDetail } from '../read-history.js';
import { badge, table } from './layout.js';
import { commitLink, diffTable } from './server.js';

const commitCell = commitLink;

export function historyMain(h: History, links: Links, forge: Forge | undefined): string {
  const runs = h.runs.map(
    (r) =>
      `<tr data-testid="run-${esc(r.oid.slice(0, 12))}"><td><time datetime="${esc(r.time)}">${esc(r.time)}</time></td><td>${esc(r.environment)}</td>` +
      `<th scope="row"><a href="${esc(links.page(sitePath('history', r.oid)))}">${esc(r.subject)}</a></th><td>${commitCell(r.oid, forge)}</td></tr>`,
  );
  const tags = h.tags.map(
    (t) =>
      `<tr data-testid="tag-${esc(t.name)}"><th scope="row">${forge ? `<a href="${esc(forge.tag(t.name))}" rel="noreferrer"><code>${esc(t.name)}</code></a>` : `<code>${esc(t.name)}</code>`}</th>` +
      `<td>${commitCell(t.commit, forge)}</td><td>${esc((t.message ?? '').split('\n')[0])}</td></tr>`,
  );
  return `<h1>History</h1>
<p class="muted">The reconciler's report commits on the tracked branch (the last ${h.runs.length} found)${h.head ? `; HEAD is <code>${esc(h.head.slice(0, 12))}</code>` : ''}.</p>
<h2>Runs</h2>
${table('Runs, newest first', ['Committed', 'Environment', 'Run', 'Commit'], runs, 'No report commits yet.')}
<h2>Tags</h2>
${table('Tags', ['Tag', 'Commit', 'Message'], tags, 'No tags.')}`;
}

export function runMain(d: RunDetail, links: Links, forge: Forge | undefined): string {
  const body = d.message.split('\n').slice(1).join('\n').trim();
  const targets = d.reports.map((r) => {
    const run = r.runs[0];
    const changes = r.lastApply.map(
      (a) =>
        `<section><h4><a href="${esc(links.page(sitePath('env', r.environment, 'server', a.server)))}">${esc(a.server)}</a>: ${esc(a.action)} ${badge(a.outcome)}</h4>${a.message ? `<p>${esc(a.message)}</p>` : ''}${diffTable(`Fields of ${a.server}`, a.diffs ?? [])}</section>`,
    );
    return `<section data-testid="run-target-${esc(`${r.environment}-${r.target}`)}"><h3>${esc(r.environment)}/${esc(r.target)}</h3>
${run ? `<p>Run: ${badge(run.result)} ${run.changed} changed, ${run.failed} failed, ${run.drifted} drifted${run.revision ? ` at config revision ${commitCell(run.revision, forge)}` : ''}.</p>` : '<p class="muted">No run recorded.</p>'}
${changes.join('\n') || '<p class="muted">No changes applied.</p>'}
${table(
  'Conditions',
  ['Type', 'Status', 'Reason', 'Message'],
  r.conditions.map(
    (c) =>
      `<tr><th scope="row">${esc(c.type)}</th><td>${esc(c.status)}</td><td>${esc(c.reason)}</td><td>${esc(c.message)}</td></tr>`,
  ),
  'none',
)}
</section>`;
  });
  return `<p><a href="${esc(links.page('/history'))}">← History</a></p>
<h1>${esc(d.run.subject)}</h1>
<p>Committed <time datetime="${esc(d.run.time)}">${esc(d.run.time)}</time> as ${commitCell(d.run.oid, forge)}.</p>
${body ? `<pre><code>${escBlock(body)}</code></pre>` : ''}
<h2>Plan as applied</h2>
${targets.join('\n') || '<p>No reports in this commit.</p>'}`;
}
