/**
 * What a person reads about one server's new surface, as data both renderers share: a headline
 * (how it compares with the lock) and the items — escalations first, then tools added, changed
 * and removed with the new descriptions, instructions, prompts and templates; or, with no lock,
 * every tool. The strings are raw (the server's own text): renderers make them safe. Bounded.
 */
import { isEmptyDiff } from '../diff-surface.js';
import type { SurfaceDiff, ToolSurface } from '../types.js';
import type { VerifyNewResult } from './types.js';

/** Most tools listed per server; the rest are counted. */
export const MAX_TOOLS_SHOWN = 60;

export type SurfaceItem =
  /** A `tool-description-hygiene` finding: rule code, field, offset, escaped excerpt (hygiene/). */
  | { kind: 'hygiene'; tool: string; finding: string }
  | { kind: 'escalation'; tool: string; change: string }
  | { kind: 'added'; tool: string; description?: string; hints: string[] }
  | { kind: 'changed'; tool: string; fields: string[]; description?: { before?: string; after?: string } }
  | { kind: 'removed'; tool: string }
  | { kind: 'tool'; tool: string; description?: string; hints: string[] }
  | { kind: 'instructions'; before?: string; after?: string }
  | { kind: 'names'; what: 'prompts' | 'resource templates'; added: string[]; removed: string[] }
  | { kind: 'more'; count: number };

export interface ResultDescription {
  /** `memory 1.2.0 (from 1.1.0)`: names and versions, raw. */
  title: string;
  where: string;
  /** How it went, raw (reasons are already redacted). */
  headline: string;
  protocol?: string;
  items: SurfaceItem[];
}

export function describeResult(r: VerifyNewResult): ResultDescription {
  const title = `${r.server} ${r.version}${r.previousVersion ? ` (from ${r.previousVersion})` : ''}`;
  const where = r.targets.join(', ');
  const out = (headline: string, items: SurfaceItem[] = []): ResultDescription => ({
    title,
    where,
    headline,
    ...(r.identity?.protocolVersion ? { protocol: protocolLine(r) } : {}),
    items,
  });
  if (r.outcome === 'skipped') return out(`not started: ${r.reason ?? 'no reason given'}`);
  if (r.outcome === 'failed' || !r.surface) return out(`could not be verified: ${r.reason ?? 'no surface'}`);
  const count = plural(r.surface.tools.length, 'tool');
  if (!r.lock || !r.diff)
    return out(
      `no tool lock for ${r.version}${r.previousVersion ? ` or ${r.previousVersion}` : ''}: its whole surface (${count}) is new to review`,
      [...hygieneItems(r), ...fullSurface(r.surface)],
    );
  if (isEmptyDiff(r.diff)) return out(`its surface matches ${r.lock.file} (${count})`, hygieneItems(r));
  return out(`its surface differs from ${r.lock.file}: ${diffCounts(r.diff)}`, [
    ...hygieneItems(r),
    ...diffItems(r.diff, r.surface),
  ]);
}

function protocolLine(r: VerifyNewResult): string {
  const id = r.identity!;
  const info = id.serverInfo
    ? ` by ${id.serverInfo.name}${id.serverInfo.version ? ` ${id.serverInfo.version}` : ''}`
    : '';
  return `protocol ${id.protocolVersion}${id.handshake ? ` (${id.handshake})` : ''}${info}`;
}

function diffCounts(diff: SurfaceDiff): string {
  const n = (kind: string) => diff.tools.filter((t) => t.kind === kind).length;
  const parts = [
    n('added') ? `${n('added')} added` : '',
    n('changed') ? `${n('changed')} changed` : '',
    n('removed') ? `${n('removed')} removed` : '',
    diff.escalations.length ? plural(diff.escalations.length, 'escalation') : '',
    diff.instructions ? 'instructions changed' : '',
    diff.prompts ? 'prompts changed' : '',
    diff.resourceTemplates ? 'resource templates changed' : '',
  ].filter((p) => p !== '');
  return parts.join(', ');
}

function hintsOf(annotations: Record<string, unknown> | undefined): string[] {
  if (!annotations) return [];
  const hints: string[] = [];
  if (annotations.readOnlyHint === true) hints.push('read-only');
  if (annotations.destructiveHint === true) hints.push('destructive');
  if (annotations.openWorldHint === true) hints.push('open world');
  return hints;
}

function diffItems(diff: SurfaceDiff, surface: ToolSurface): SurfaceItem[] {
  const items: SurfaceItem[] = diff.escalations.map((e) => ({
    kind: 'escalation',
    tool: e.tool,
    change: e.change,
  }));
  const now = new Map(surface.tools.map((t) => [t.name, t]));
  let shown = 0;
  for (const change of diff.tools) {
    if (shown === MAX_TOOLS_SHOWN) {
      items.push({ kind: 'more', count: diff.tools.length - shown });
      break;
    }
    shown++;
    if (change.kind === 'removed') items.push({ kind: 'removed', tool: change.tool });
    else if (change.kind === 'added') {
      const tool = change.added ?? now.get(change.tool);
      items.push({
        kind: 'added',
        tool: change.tool,
        ...(tool?.description === undefined ? {} : { description: tool.description }),
        hints: hintsOf(tool?.annotations),
      });
    } else {
      const fields = (change.fields ?? []).map((f) =>
        f.paths && f.paths.length > 0
          ? `${f.field} (${f.paths.slice(0, 5).join(', ')}${f.paths.length > 5 || f.pathsTruncated ? ', ...' : ''})`
          : f.field,
      );
      const d = change.fields?.find((f) => f.field === 'description');
      items.push({
        kind: 'changed',
        tool: change.tool,
        fields,
        ...(d
          ? {
              description: {
                ...(typeof d.before === 'string' ? { before: d.before } : {}),
                ...(typeof d.after === 'string' ? { after: d.after } : {}),
              },
            }
          : {}),
      });
    }
  }
  if (diff.instructions) items.push({ kind: 'instructions', ...diff.instructions });
  if (diff.prompts) items.push({ kind: 'names', what: 'prompts', ...diff.prompts });
  if (diff.resourceTemplates)
    items.push({ kind: 'names', what: 'resource templates', ...diff.resourceTemplates });
  return items;
}

function fullSurface(surface: ToolSurface): SurfaceItem[] {
  const items: SurfaceItem[] = surface.tools.slice(0, MAX_TOOLS_SHOWN).map((t) => ({
    kind: 'tool',
    tool: t.name,
    ...(t.description === undefined ? {} : { description: t.description }),
    hints: hintsOf(t.annotations),
  }));
  if (surface.tools.length > MAX_TOOLS_SHOWN)
    items.push({ kind: 'more', count: surface.tools.length - MAX_TOOLS_SHOWN });
  if (surface.instructions !== undefined) items.push({ kind: 'instructions', after: surface.instructions });
  if (surface.prompts.length > 0)
    items.push({ kind: 'names', what: 'prompts', added: surface.prompts, removed: [] });
  if (surface.resourceTemplates.length > 0)
    items.push({ kind: 'names', what: 'resource templates', added: surface.resourceTemplates, removed: [] });
  return items;
}

/** Hygiene findings first: a poisoned description is the first thing a reviewer must see. */
function hygieneItems(r: VerifyNewResult): SurfaceItem[] {
  return (r.hygiene ?? []).map((f) => ({
    kind: 'hygiene',
    tool: f.tool ?? '(server)',
    finding: `${f.rule} in ${f.field}, character ${f.offset}: ${f.detail}: "${f.excerpt}"`,
  }));
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
