/**
 * The body of an update pull request, in Markdown: the hidden marker, the release (server, current
 * → proposed, publish date, registry origin, the release link only when it is a plain https URL),
 * the plan (which targets change and in what field), and the tool surface of the new version from
 * its scratch verification against the current version's lock (added, removed and changed tools,
 * annotation escalations), through the product's safe renderers: nothing a registry or a server
 * wrote is read as Markdown. Bounded: at most MAX_BODY characters, cutting the tool diffs first.
 */
import { renderSurfaceDiffMarkdown } from '../../surface/render-diff-markdown.js';
import { codeSpan, safeJson, safeText } from '../../surface/render-safe.js';
import type { VerifyNewResult } from '../../surface/verify-new/index.js';
import type { UpdateChange } from '../types.js';
import { renderMarker } from './marker.js';
import type { TargetServerChange } from './plan-diff.js';

export const MAX_BODY = 60_000;

export interface BodyInput {
  change: UpdateChange;
  versions: string[];
  /** The per-target field diff, or why it could not be computed. */
  plan: TargetServerChange[] | { unavailable: string };
  verifications: VerifyNewResult[];
  /** Lock files this branch adds (repo-relative). */
  addedLocks: string[];
}

const SAFE_URL = /^https:\/\/[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?(\/[A-Za-z0-9._~/%+-]{0,400})?$/;

/** The release link as Markdown, or undefined when it is not a plain https URL. */
export function safeLink(url: string | undefined): string | undefined {
  if (url === undefined || !SAFE_URL.test(url)) return undefined;
  return `[release](${url})`;
}

function date(iso: string | undefined): string {
  if (iso === undefined) return 'unknown';
  const t = Date.parse(iso);
  return Number.isNaN(t) ? 'unknown' : new Date(t).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}

function origin(registry: string | undefined): string {
  if (registry === undefined) return 'unknown';
  try {
    return codeSpan(safeText(new URL(registry).origin, 200));
  } catch {
    return codeSpan(safeText(registry, 200));
  }
}

function releaseSection(change: UpdateChange): string[] {
  const out = [
    '### Release',
    '',
    '| Server | Current | Proposed | Published | Registry | Link |',
    '|---|---|---|---|---|---|',
  ];
  for (const u of change.updates) {
    const p = u.proposed;
    const envs =
      u.environments.length > 0 ? ` (${u.environments.map((e) => safeText(e, 63)).join(', ')})` : '';
    out.push(
      `| ${codeSpan(safeText(u.server, 100))}${envs} | ${codeSpan(safeText(u.current, 200))} | ${codeSpan(safeText(p?.pin ?? '', 200))} | ${date(p?.publishedAt)} | ${origin(u.registry)} | ${safeLink(p?.url) ?? ''} |`,
    );
  }
  const files = [...new Set(change.updates.map((u) => u.location?.file).filter((f): f is string => !!f))];
  out.push(
    '',
    `Pinned in ${files.map((f) => codeSpan(safeText(f, 300))).join(', ')}; allowed by the update policy (${[...new Set(change.updates.map((u) => u.policy.allow))].join(', ')} updates).`,
  );
  return out;
}

function planSection(plan: BodyInput['plan']): string[] {
  const out = ['### Plan', ''];
  if (!Array.isArray(plan)) return [...out, `Not computed: ${safeText(plan.unavailable, 500)}`];
  if (plan.length === 0) return [...out, 'No target changes (no environment runs these servers).'];
  for (const c of plan) {
    out.push(`- ${codeSpan(safeText(c.target, 200))} · ${codeSpan(safeText(c.server, 100))}`);
    for (const f of c.fields)
      out.push(
        `  - ${codeSpan(safeText(f.path, 200))}: ${codeSpan(safeJson(f.before))} → ${codeSpan(safeJson(f.after))}`,
      );
  }
  return out;
}

function verificationSection(v: VerifyNewResult, full: boolean): string[] {
  const head = `#### ${codeSpan(safeText(v.server, 100))} ${codeSpan(safeText(v.version, 200))}`;
  if (v.outcome !== 'verified' || !v.surface) {
    return [head, '', `Not verified (${v.outcome}): ${safeText(v.reason ?? 'no reason given', 500)}`];
  }
  const out = [head, ''];
  if (v.lock && v.diff) {
    out.push(
      `Started in a scratch place and compared with ${codeSpan(safeText(v.lock.file, 300))} (the lock of ${codeSpan(safeText(v.lock.version, 200))}):`,
      '',
    );
    out.push(
      full
        ? renderSurfaceDiffMarkdown(v.diff).trimEnd()
        : '(the tool diff is left out: the body would pass its size limit)',
    );
  } else {
    const names = v.surface.tools.map((t) => codeSpan(safeText(t.name, 100)));
    out.push(
      `Started in a scratch place; no lock to compare with. It offers ${names.length} tool(s): ${full ? names.join(', ') : '(list left out: size limit)'}.`,
    );
  }
  return out;
}

export function renderPullRequestBody(input: BodyInput): string {
  const render = (full: boolean): string => {
    const out: string[] = [renderMarker({ name: input.change.name, versions: input.versions }), ''];
    out.push(
      input.change.group === undefined
        ? `Updates ${codeSpan(safeText(input.change.name, 100))} to the newest version its update policy allows.`
        : `Updates the servers of group ${codeSpan(safeText(input.change.group, 100))} to the newest versions their update policy allows.`,
      '',
      ...releaseSection(input.change),
      '',
      ...planSection(input.plan),
      '',
      '### Tools',
      '',
    );
    if (input.verifications.length === 0) out.push('No scratch verification was run for this change.');
    for (const v of input.verifications) out.push(...verificationSection(v, full), '');
    if (input.addedLocks.length > 0)
      out.push(
        '',
        `This branch adds the lock${input.addedLocks.length === 1 ? '' : 's'} ${input.addedLocks.map((f) => codeSpan(safeText(f, 300))).join(', ')}: review it as the tool surface you approve.`,
      );
    out.push(
      '',
      '<sub>Opened by `mcp-gitops updates --open-prs`. A newer release updates this branch and pull request in place.</sub>',
      '',
    );
    return out.join('\n');
  };
  const full = render(true);
  if (full.length <= MAX_BODY) return full;
  const short = render(false);
  if (short.length <= MAX_BODY) return short;
  return `${short.slice(0, MAX_BODY - 80)}\n\n(cut: the body passed ${MAX_BODY} characters)\n`;
}
