/**
 * The overview's "serve facts" line, in ONE function so other branches (a leader/role line) add
 * to one place: what is tracked (remote, branch), when it last synced, the process's role.
 */
import { esc } from '../escape.js';
import type { ServeFacts } from '../model/live.js';

export function serveFacts(facts: ServeFacts | undefined): string {
  if (!facts) return '';
  const items: [string, string][] = [
    ['Remote', `<code>${esc(facts.remote)}</code>`],
    ['Branch', `<code>${esc(facts.branch)}</code>`],
    [
      'Last sync',
      facts.lastSync
        ? `<time datetime="${esc(facts.lastSync)}">${esc(facts.lastSync)}</time>`
        : facts.synced
          ? 'the checkout as it is'
          : 'not synced yet',
    ],
    ['Role', esc(facts.role)],
  ];
  const l = facts.leadership;
  if (l) {
    items.push(
      [
        'Leader election',
        `<b data-role="${l.role}">${l.role}</b> (this replica <code>${esc(l.identity)}</code>)`,
      ],
      ['Leader', `<code data-leader>${esc(l.leader)}</code>`],
      ['Lease', `<code>${esc(l.lease)}</code>${l.shard ? `, shard <code>${esc(l.shard)}</code>` : ''}`],
    );
  }
  return `<dl class="facts" data-testid="serve-facts">${items.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>`;
}
