/**
 * The tool-surface part of a pull request's comment, made in the sandboxed planner. For a trusted
 * author, each server spec the pull request changes is started in a scratch place inside this
 * bounded child (src/surface/verify-new/) and its tools are shown against the BASE branch's lock.
 * For anyone else nothing of the pull request runs: the comment says which new versions were not
 * verified and why. Everything a server or the pull request chose is escaped in the Markdown.
 */
import type { ConfigSet } from '../core/config-set.js';
import type { Plan } from '../core/plan.js';
import type { ServerSpec } from '../core/resources.js';
import { lockVersion } from '../surface/lock/index.js';
import { renderVerifyNewMarkdown } from '../surface/verify-new/render-verify-new.js';
import { markdownText } from '../surface/verify-new/safe-text.js';
import { selectCandidates } from '../surface/verify-new/select-candidates.js';
import { verifyNew } from '../surface/verify-new/verify-new.js';
import { type BaseSurfaces, baseLockLookup } from './base-surfaces.js';
import type { WorkerSurfaces } from './worker-protocol.js';

const NO_BASE: BaseSurfaces = { versions: {}, locks: [] };

export async function prSurfaceSection(input: {
  surfaces?: WorkerSurfaces;
  plan?: Plan;
  config: Pick<ConfigSet, 'documents'>;
}): Promise<string> {
  const { surfaces } = input;
  if (!surfaces) return '';
  const base = surfaces.base ?? NO_BASE;
  if (input.plan && surfaces.verify) {
    const candidates = selectCandidates(input.plan).map((c) => {
      const before = base.versions[c.server];
      return c.previousVersion === undefined && before !== undefined && before !== c.version
        ? { ...c, previousVersion: before }
        : c;
    });
    if (candidates.length === 0) return '';
    const results = await verifyNew(candidates, { lockFor: baseLockLookup(base), ...surfaces.verify });
    return renderVerifyNewMarkdown(results);
  }
  const changed = input.plan
    ? selectCandidates(input.plan).map((c) => ({ server: c.server, version: c.version }))
    : surfaces.base
      ? changedVersions(input.config, surfaces.base)
      : [];
  if (changed.length === 0) return '';
  const why = surfaces.why ?? 'it is not trusted';
  return [
    '### New tool surfaces',
    '',
    ...changed.map(
      (c) =>
        `- The new tool surface of **${markdownText(c.server, 80)}** ${markdownText(c.version, 80)} was not verified: ${markdownText(why, 300)}. Nothing of this pull request was started; review its tools before merging.`,
    ),
    '',
  ].join('\n');
}

/** Servers of the pull request whose version is not the base's (new servers included), sorted. */
function changedVersions(
  config: Pick<ConfigSet, 'documents'>,
  base: BaseSurfaces,
): { server: string; version: string }[] {
  const out = new Map<string, string>();
  for (const doc of config.documents) {
    if (doc.kind !== 'Server') continue;
    const value = doc.value as { metadata?: { name?: unknown }; spec?: ServerSpec } | undefined;
    const name = value?.metadata?.name;
    if (typeof name !== 'string' || !value?.spec) continue;
    const version = lockVersion(value.spec);
    if (base.versions[name] !== version) out.set(name, version);
  }
  return [...out.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([server, version]) => ({ server, version }));
}
