/**
 * The frame of every page: skip link, header with the site's navigation, `<main id="main">`, the
 * one stylesheet and (live only) the one script, both from `/assets/` by content hash. No inline
 * script or style anywhere, so the strict Content-Security-Policy holds. Also the badge: a word
 * and a symbol, never colour alone.
 */
import { type AssetNames, assetNames } from '../assets/assets.js';
import { esc } from '../escape.js';
import type { Links } from '../links.js';

export interface PageParts {
  title: string;
  /** The site path of this page (marks the current navigation entry). */
  path: string;
  /** The inner HTML of `<main>` (already escaped where it holds values). */
  main: string;
  links: Links;
  /** For a live page: which kinds of update make it fetch itself again (default: all). */
  refreshOn?: string;
  /** For a page about one environment: only its updates (and `*`) refresh it. */
  env?: string;
}

const NAV: readonly [string, string][] = [
  ['/', 'Overview'],
  ['/history', 'History'],
  ['/drift', 'Drift'],
];

export function layout(parts: PageParts, names: AssetNames = assetNames()): string {
  const { links } = parts;
  const nav = NAV.map(([p, label]) => {
    const current =
      p === '/' ? parts.path === '/' || parts.path.startsWith('/env/') : parts.path.startsWith(p);
    return `<li><a href="${esc(links.page(p))}"${current ? ' aria-current="page"' : ''}>${label}</a></li>`;
  }).join('');
  const script = links.live ? `\n<script src="${esc(links.asset(names.js))}" defer></script>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${esc(parts.title)} · mcp-gitops</title>
<link rel="stylesheet" href="${esc(links.asset(names.css))}">${script}
</head><body${links.live ? ` data-live="${esc(parts.refreshOn ?? 'reconcile health drift')}"` : ''}${parts.env !== undefined && links.live ? ` data-env="${esc(parts.env)}"` : ''}>
<a class="skip" href="#main">Skip to content</a>
<header><nav aria-label="Site"><span class="brand">mcp-gitops</span><ul>${nav}</ul></nav></header>
<main id="main" tabindex="-1">
${parts.main}
</main>
<footer><p>Read-only view of the committed reports. <span id="live-status" role="status" aria-live="polite"></span></p></footer>
</body></html>
`;
}

const SYMBOL: Record<string, string> = {
  healthy: '✓',
  'in sync': '✓',
  Ready: '✓',
  success: '✓',
  ok: '✓',
  matches: '✓',
  unhealthy: '✗',
  stalled: '✗',
  Stalled: '✗',
  failed: '✗',
  error: '✗',
  quarantined: '✗',
  starting: '…',
  'out of sync': '≠',
  'Not ready': '≠',
  drifted: '≠',
  differs: '≠',
  changed: '≠',
  added: '+',
  removed: '−',
  locked: '🔒',
  unlocked: '∅',
  suspended: '⏸',
  Suspended: '⏸',
};

/** A status badge: symbol + word, a class for colour; `id` becomes `data-testid` when given. */
export function badge(state: string, id?: string): string {
  const cls = state.toLowerCase().replace(/[^a-z]+/g, '-');
  const sym = SYMBOL[state] ?? '•';
  const tid = id === undefined ? '' : ` data-testid="${esc(id)}"`;
  return `<span class="badge b-${esc(cls)}"${tid}><span aria-hidden="true">${sym}</span> ${esc(state)}</span>`;
}

/** A table inside a scroll box (wide tables scroll on their own; the page never does). */
export function table(
  caption: string,
  head: readonly string[],
  rows: readonly string[],
  empty: string,
): string {
  const body = rows.length > 0 ? rows.join('\n') : `<tr><td colspan="${head.length}">${esc(empty)}</td></tr>`;
  return `<div class="scroll"><table><caption>${esc(caption)}</caption>
<thead><tr>${head.map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr></thead>
<tbody>
${body}
</tbody></table></div>`;
}

/** A section shared with the earlier status page, its table in a scroll box for phone widths. */
export function scrolling(section: string): string {
  return section.replace('<table>', '<div class="scroll"><table>').replace('</table>', '</table></div>');
}

export type { AssetNames };
