/**
 * A server's page: per target, the entry as applied (version, transport, spec hash, endpoint,
 * protocol), health with why and since, restarts, the health changes this process saw, the last
 * change with its field diffs, drift paths, and the tool surface against the lock: each tool with
 * its state, description and input schema as the lock records them (escaped, invisible characters
 * shown), prompts, resource templates and instructions.
 */
import type { FieldDiff } from '../../core/plan.js';
import { safeJson } from '../../surface/render-safe.js';
import { esc, escBlock } from '../escape.js';
import type { Forge } from '../forge.js';
import { type Links, sitePath } from '../links.js';
import type { ServerModel, ServerOnTarget, ToolRow } from '../model/server.js';
import { badge, table } from './layout.js';
import { liveToolChange, liveToolsNote } from './live-tools.js';

export function serverMain(m: ServerModel, links: Links, forge?: Forge): string {
  return `<p><a href="${esc(links.page(sitePath('env', m.environment)))}">← ${esc(m.environment)}</a></p>
<h1>Server ${esc(m.server)} <span class="muted">in ${esc(m.environment)}</span></h1>
${m.targets.map((t) => targetPart(m, t, forge)).join('\n')}`;
}

function targetPart(m: ServerModel, t: ServerOnTarget, forge: Forge | undefined): string {
  const id = `${m.environment}-${t.target}-${m.server}`;
  const e = t.entry;
  const facts: [string, string][] = e
    ? [
        ['Health', `${badge(e.health, `health-${id}`)}${e.healthReason ? ` ${esc(e.healthReason)}` : ''}`],
        ['Health since revision', e.healthSince ? `<code>${esc(e.healthSince.slice(0, 12))}</code>` : ''],
        ['Version', esc(e.version ?? '')],
        ['Transport', esc(e.transport)],
        ['Spec hash', `<code>${esc((e.specHash ?? '').slice(0, 19))}</code>`],
        ['Endpoint', e.endpoint ? `<code>${esc(e.endpoint)}</code>` : ''],
        ['Restarts', e.restarts === undefined ? '' : String(e.restarts)],
        ['Tools', e.toolCount === undefined ? 'not verified' : String(e.toolCount)],
        [
          'Protocol',
          e.protocol
            ? esc(
                [
                  e.protocol.protocolVersion,
                  e.protocol.handshake,
                  e.protocol.serverInfo
                    ? `${e.protocol.serverInfo.name} ${e.protocol.serverInfo.version ?? ''}`.trim()
                    : '',
                ]
                  .filter(Boolean)
                  .join(', '),
              )
            : '',
        ],
      ]
    : [['Health', badge('quarantined', `health-${id}`)]];
  const factRows = facts
    .filter(([, v]) => v !== '')
    .map(([k, v]) => `<tr><th scope="row">${esc(k)}</th><td>${v}</td></tr>`);
  const healthLog = t.healthLog.length
    ? table(
        'Health changes seen by this process, newest first',
        ['Seen', 'From', 'To', 'Why'],
        t.healthLog.map(
          (h) =>
            `<tr><td><time datetime="${esc(h.at)}">${esc(h.at)}</time></td><td>${h.from ? badge(h.from) : ''}</td><td>${badge(h.to)}</td><td>${esc(h.reason ?? '')}</td></tr>`,
        ),
        '',
      )
    : '<p class="muted">No health change seen by this process yet.</p>';
  const recorded = t.recorded?.length
    ? table(
        'Health as the report commits recorded it, newest first',
        ['Since', 'Health', 'Why', 'Restarts', 'Commit'],
        t.recorded.map(
          (h) =>
            `<tr><td><time datetime="${esc(h.time)}">${esc(h.time)}</time></td><td>${h.health === 'absent' ? 'not on the target' : badge(h.health)}</td><td>${esc(h.reason ?? '')}</td><td>${h.restarts ?? ''}</td><td>${commitLink(h.commit, forge)}</td></tr>`,
        ),
        '',
      )
    : '';
  const last = t.lastApply
    ? `<h3>Last change</h3>
<p>${esc(t.lastApply.action)}: ${badge(t.lastApply.outcome)}${t.lastApply.message ? ` ${esc(t.lastApply.message)}` : ''}</p>
${diffTable('Fields changed', t.lastApply.diffs ?? [])}`
    : '';
  const drift = t.drift.length
    ? `<h3>Drift</h3><ul>${t.drift.map((p) => `<li><code>${esc(p)}</code></li>`).join('')}</ul>`
    : '';
  return `<section aria-labelledby="s-${esc(t.target)}" data-testid="server-${esc(id)}">
<h2 id="s-${esc(t.target)}">On ${esc(t.target)} ${badge(t.targetState)}</h2>
<div class="scroll"><table><caption>As applied</caption><tbody>${factRows.join('')}</tbody></table></div>
${specPart(t)}
<h3>Health history</h3>
${recorded}
${healthLog}
${last}
${drift}
${surfacePart(t)}
</section>`;
}

function specPart(t: ServerOnTarget): string {
  const a = t.applied;
  if (!a) return '';
  if (a.state === 'unavailable') return `<h3>Spec as applied</h3><p class="muted">${esc(a.why)}</p>`;
  const same = t.entry?.specHash === a.specHash;
  return `<h3>Spec as applied</h3>
<p>From config revision <code>${esc(a.revision.slice(0, 12))}</code>: ${
    same
      ? `${badge('matches')} its hash is the report's`
      : `${badge('differs')} its hash <code>${esc(a.specHash.slice(0, 19))}</code> is not the report's (the target runs a spec from another revision)`
  }. Secrets are references here, never values.</p>
<details><summary>Spec</summary><pre><code>${escBlock(JSON.stringify(a.spec, null, 2) ?? '')}</code></pre></details>`;
}

/** A commit, linked to the forge when there is one. */
export function commitLink(oid: string, forge: Forge | undefined): string {
  const code = `<code>${esc(oid.slice(0, 12))}</code>`;
  return forge ? `<a href="${esc(forge.commit(oid))}" rel="noreferrer">${code}</a>` : code;
}

export function diffTable(caption: string, diffs: readonly FieldDiff[]): string {
  return table(
    caption,
    ['Field', 'Before', 'After'],
    diffs.map(
      (d) =>
        `<tr><th scope="row"><code>${esc(d.path)}</code></th><td class="diff-before"><code>${esc(safeJson(d.before, 400))}</code></td><td class="diff-after"><code>${esc(safeJson(d.after, 400))}</code></td></tr>`,
    ),
    'no field diffs recorded',
  );
}

function lockLine(t: ServerOnTarget): string {
  const lock = t.lock;
  if (!lock) return '<p>Not on the target: no surface.</p>';
  if (lock.state === 'missing')
    return `<p data-testid="lock-state">${badge('unlocked')} No lock committed at <code>${esc(lock.file)}</code>; <code>mcp-gitops tools lock</code> writes one.</p>`;
  if (lock.state === 'unreadable')
    return `<p data-testid="lock-state">${badge('error')} <code>${esc(lock.file)}</code> cannot be read: ${esc(lock.why)}</p>`;
  const c = t.comparison;
  if (!c)
    return `<p data-testid="lock-state">${badge('unknown')} Lock <code>${esc(lock.file)}</code>; the surface was not verified yet.</p>`;
  if (c.matches)
    return `<p data-testid="lock-state">${badge('matches')} The verified surface matches <code>${esc(lock.file)}</code>.</p>`;
  const parts = [
    c.changed.length ? `changed ${c.changed.join(', ')}` : '',
    c.added.length ? `added ${c.added.join(', ')}` : '',
    c.removed.length ? `removed ${c.removed.join(', ')}` : '',
    c.other.length ? `${c.other.join(', ')} changed` : '',
  ].filter(Boolean);
  return `<p data-testid="lock-state">${badge('differs')} Differs from <code>${esc(lock.file)}</code>: ${esc(parts.join('; '))}</p>`;
}

const TOOL_NOTE: Record<ToolRow['state'], string> = {
  matches: 'as locked',
  changed:
    'its fingerprint differs from the lock: the text below is the reviewed one, not what the server says now',
  added: 'not in the lock: its text is not committed anywhere (run mcp-gitops tools show to see it)',
  removed: 'in the lock, not listed by the server',
  locked: 'from the lock; not verified yet',
  unlocked: 'no lock: only its name and fingerprint are committed',
};

function surfacePart(t: ServerOnTarget): string {
  const live = new Map((t.liveTools?.diff.tools ?? []).map((c) => [c.tool, c]));
  const tools = t.tools.map((tool) => {
    const l = tool.locked;
    const annotations =
      l?.annotations && Object.keys(l.annotations).length
        ? `<p class="muted">annotations: <code>${esc(safeJson(l.annotations, 400))}</code></p>`
        : '';
    const schema =
      l?.inputSchema === undefined
        ? ''
        : `<details><summary>Input schema</summary><pre><code>${escBlock(JSON.stringify(l.inputSchema, null, 2) ?? '')}</code></pre></details>`;
    return (
      `<tr data-testid="tool-${esc(tool.name)}"><th scope="row"><code>${esc(tool.name)}</code>${l?.title ? `<br><span class="muted">${esc(l.title)}</span>` : ''}</th>` +
      `<td>${badge(tool.state)}<br><span class="muted">${esc(TOOL_NOTE[tool.state])}</span></td>` +
      `<td>${l?.description ? `<pre><code>${escBlock(l.description)}</code></pre>` : ''}${annotations}${schema}${liveToolChange(live.get(tool.name))}</td></tr>`
    );
  });
  const extra = [
    t.instructions !== undefined && !t.instructions.startsWith('\u0000')
      ? `<details><summary>Instructions</summary><pre><code>${escBlock(t.instructions)}</code></pre></details>`
      : '',
    t.prompts.length ? `<p>Prompts: ${t.prompts.map((p) => `<code>${esc(p)}</code>`).join(', ')}</p>` : '',
    t.resourceTemplates.length
      ? `<p>Resource templates: ${t.resourceTemplates.map((p) => `<code>${esc(p)}</code>`).join(', ')}</p>`
      : '',
  ].join('');
  return `<h3>Tool surface</h3>
${lockLine(t)}
${liveToolsNote(t.liveTools?.against)}
${table(`Tools on ${t.target}`, ['Tool', 'State', 'Description and input schema (from the lock)'], tools, 'no tools')}
${extra}`;
}
