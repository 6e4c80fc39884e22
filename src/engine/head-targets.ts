/**
 * A rollback reads its desired state at a tag, but a target that the branch head still lists is
 * not "removed from the repo" just because that older tag lacks it: it was added after the tag.
 * The rollback leaves such a target alone (prune or not, nothing there is the tag's to delete) and
 * keeps its report, instead of retiring it. This reads which targets the branch head lists, from
 * the config at HEAD, without validating it (an invalid head must not stop a rollback).
 */
import { loadConfig } from '../config/load-config.js';

/** `env/target` for every target the config at HEAD lists (of `environment` only, when given). */
export async function headTargets(root: string, environment?: string): Promise<Set<string>> {
  const { config } = await loadConfig({ root, source: 'revision', rev: 'HEAD' });
  const out = new Set<string>();
  for (const doc of config.environments) {
    const env = doc.value;
    const name = env.metadata?.name;
    if (typeof name !== 'string' || (environment !== undefined && name !== environment)) continue;
    const targets: unknown = env.spec?.targets;
    if (!Array.isArray(targets)) continue;
    for (const t of targets) {
      const target = (t as { name?: unknown } | null)?.name;
      if (typeof target === 'string') out.add(`${name}/${target}`);
    }
  }
  return out;
}
