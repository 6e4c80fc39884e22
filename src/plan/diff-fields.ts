/**
 * Field-level differences between two values (a server spec, or a provider's rendered entry), as
 * dotted paths: `env.LOG_LEVEL`, `package.version`, `entry.args[1]`, and `secrets[API_TOKEN].ref`
 * for arrays of objects keyed by a unique `name`. Values are compared in canonical form, so key
 * order, `undefined` and empty containers never produce a diff, and any real difference always
 * produces at least one.
 *
 * Linear in the size of the two values (issue 16): each side is canonicalized once, every subtree
 * gets an exact identity once (see SubtreeIds), and the walk descends only where identities differ.
 */
import type { FieldDiff } from '../core/plan.js';
import { canonicalize, sameTree } from './canonical.js';

export function diffFields(before: unknown, after: unknown, prefix = ''): FieldDiff[] {
  // The common case of a plan (in sync): one pass over both sides, nothing built. Otherwise the
  // walk finds equal canonical forms equal at the root (a create, all additions, used to write
  // the canonical JSON of both sides first only to find them different).
  if (sameTree(before, after)) return [];
  const out: FieldDiff[] = [];
  walk(canonicalize(before), canonicalize(after), prefix, out, new SubtreeIds());
  return out;
}

/**
 * Hash-consing of canonical values: two subtrees get the same number exactly when their canonical
 * JSON is the same (no collisions: the table is keyed by a node's own text and its children's
 * numbers). Each node is numbered once, so comparing at every level costs nothing more.
 */
class SubtreeIds {
  private readonly table = new Map<string, number>();
  private readonly memo = new WeakMap<object, number>();

  of(value: unknown): number {
    if (value === undefined) return 0;
    if (value === null || typeof value !== 'object') return this.intern(JSON.stringify(value));
    const known = this.memo.get(value);
    if (known !== undefined) return known;
    let text: string;
    if (Array.isArray(value)) {
      text = '[';
      for (const element of value) text += `${this.of(element)},`;
    } else {
      text = '{';
      const record = value as Record<string, unknown>;
      for (const key of Object.keys(record)) text += `${JSON.stringify(key)}:${this.of(record[key])},`;
    }
    const id = this.intern(text);
    this.memo.set(value, id);
    return id;
  }

  private intern(text: string): number {
    let id = this.table.get(text);
    if (id === undefined) {
      id = this.table.size + 1;
      this.table.set(text, id);
    }
    return id;
  }
}

/** `beforeIn` and `afterIn` are canonical (or absent). */
function walk(beforeIn: unknown, afterIn: unknown, path: string, out: FieldDiff[], ids: SubtreeIds): void {
  // Absent is id 0 and nothing else is: one absent side needs no identity of the other.
  if (beforeIn === undefined || afterIn === undefined) {
    if (beforeIn === afterIn) return;
  } else if (ids.of(beforeIn) === ids.of(afterIn)) return;
  // An absent container compares as an empty one, so additions show field by field.
  const before = beforeIn === undefined ? emptyLike(afterIn) : beforeIn;
  const after = afterIn === undefined ? emptyLike(beforeIn) : afterIn;
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const key of keys) walk(before[key], after[key], joinKey(path, key), out, ids);
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const found = out.length;
    if (isNamedList(before) && isNamedList(after)) walkNamed(before, after, path, out, ids);
    else
      for (let i = 0; i < Math.max(before.length, after.length); i++)
        walk(before[i], after[i], `${path}[${i}]`, out, ids);
    // Same named elements in another order: still a difference, reported on the list itself.
    if (out.length === found) out.push(leaf(path, before, after));
    return;
  }
  out.push(leaf(path, before, after));
}

function walkNamed(before: Named[], after: Named[], path: string, out: FieldDiff[], ids: SubtreeIds): void {
  const old = new Map(before.map((e) => [e.name, e]));
  const now = new Map(after.map((e) => [e.name, e]));
  const names = [...now.keys(), ...[...old.keys()].filter((n) => !now.has(n))];
  for (const name of names) {
    const b = old.get(name);
    const a = now.get(name);
    const elementPath = `${path}[${name}]`;
    if (b && a) walk(rest(b), rest(a), elementPath, out, ids);
    else out.push(leaf(elementPath, b && (rest(b) ?? {}), a && (rest(a) ?? {})));
  }
}

function leaf(path: string, before: unknown, after: unknown): FieldDiff {
  const diff: FieldDiff = { path: path === '' ? '.' : path };
  if (before !== undefined) diff.before = before;
  if (after !== undefined) diff.after = after;
  return diff;
}

const IDENTIFIER = /^[A-Za-z_$][\w$-]*$/;

function joinKey(path: string, key: string): string {
  if (IDENTIFIER.test(key)) return path === '' ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}

type Named = { name: string } & Record<string, unknown>;

function isNamedList(list: unknown[]): list is Named[] {
  const names = new Set<string>();
  for (const e of list) {
    if (!isRecord(e) || typeof e.name !== 'string' || names.has(e.name)) return false;
    names.add(e.name);
  }
  return true;
}

/**
 * A canonical element without its `name`: its other fields are canonical already and keep their
 * sorted order, so only emptiness is left to decide (empty is absent).
 */
function rest(entry: Named): Record<string, unknown> | undefined {
  const { name: _name, ...fields } = entry;
  return Object.keys(fields).length === 0 ? undefined : fields;
}

function emptyLike(value: unknown): unknown {
  if (Array.isArray(value)) return [];
  if (isRecord(value)) return {};
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
