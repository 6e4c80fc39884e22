/**
 * `--shard-selector key=value[,key=value]`: this replica handles only the environments whose
 * `metadata.labels` carry every pair, as Flux shards its controllers. Each shard elects its own
 * leader, so the Lease name gets a suffix derived from the selector: readable, and with a hash
 * so two selectors never share a Lease. Pure: parsing, matching, naming.
 */
import { createHash } from 'node:crypto';
import { McpGitopsError } from '../../core/errors.js';

export type ShardSelector = ReadonlyMap<string, string>;

/** A label key: an optional DNS-subdomain prefix and `/`, then a name of at most 63 characters. */
const NAME = /^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/;
const PREFIX = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;
/** A label value: empty, or like a name. */
const VALUE = /^([A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?)?$/;

export function parseShardSelector(text: string): ShardSelector {
  const usage = (why: string) =>
    new McpGitopsError('ERR_USAGE', `--shard-selector ${JSON.stringify(text.slice(0, 200))}: ${why}`, {
      hint: 'label pairs that an environment must all carry: --shard-selector team=payments,tier=prod',
    });
  const pairs = new Map<string, string>();
  if (text.trim() === '') throw usage('empty');
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) throw usage(`${JSON.stringify(part.slice(0, 100))} is not key=value`);
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (!isLabelKey(key)) throw usage(`${JSON.stringify(key.slice(0, 100))} is not a label key`);
    if (!VALUE.test(value)) throw usage(`${JSON.stringify(value.slice(0, 100))} is not a label value`);
    if (pairs.has(key)) throw usage(`key ${key} given twice`);
    pairs.set(key, value);
  }
  return pairs;
}

function isLabelKey(key: string): boolean {
  const slash = key.lastIndexOf('/');
  if (slash < 0) return NAME.test(key);
  return PREFIX.test(key.slice(0, slash)) && NAME.test(key.slice(slash + 1));
}

/** Whether an environment's labels carry every pair of the selector. */
export function matchesShard(
  selector: ShardSelector,
  labels: Readonly<Record<string, string>> | undefined,
): boolean {
  for (const [k, v] of selector) if (labels?.[k] !== v) return false;
  return true;
}

/** `team=a,tier=prod` in a canonical order (sorted keys), for messages and the status page. */
export function formatShardSelector(selector: ShardSelector): string {
  return [...selector.keys()]
    .sort()
    .map((k) => `${k}=${selector.get(k)}`)
    .join(',');
}

/**
 * The Lease name of a shard: `<base>-<readable>-<hash8>`, a valid DNS subdomain of at most 253
 * characters. The readable part is the pairs lowercased with every other character as `-`; the
 * hash (of the canonical form) tells apart selectors that read the same (`A=b` and `a=b`).
 */
export function shardLeaseName(base: string, selector: ShardSelector): string {
  const canonical = formatShardSelector(selector);
  const hash = createHash('sha256').update(canonical).digest('hex').slice(0, 8);
  const readable = canonical
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, Math.max(0, 253 - base.length - 10))
    .replace(/-+$/g, '');
  return readable ? `${base}-${readable}-${hash}` : `${base}-${hash}`;
}
