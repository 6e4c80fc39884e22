/**
 * Field-level differences between two values (a server spec, or a provider's rendered entry), as
 * dotted paths: `env.LOG_LEVEL`, `package.version`, `entry.args[1]`, and `secrets[API_TOKEN].ref`
 * for arrays of objects keyed by a unique `name`. Values are compared in canonical form, so key
 * order, `undefined` and empty containers never produce a diff, and any real difference always
 * produces at least one.
 */
import type { FieldDiff } from '../core/plan.js';
import { canonicalize, canonicalJson } from './canonical.js';

export function diffFields(before: unknown, after: unknown, prefix = ''): FieldDiff[] {
  const out: FieldDiff[] = [];
  walk(canonicalize(before), canonicalize(after), prefix, out);
  return out;
}

function walk(beforeIn: unknown, afterIn: unknown, path: string, out: FieldDiff[]): void {
  if (canonicalJson(beforeIn) === canonicalJson(afterIn)) return;
  // An absent container compares as an empty one, so additions show field by field.
  const before = beforeIn === undefined ? emptyLike(afterIn) : beforeIn;
  const after = afterIn === undefined ? emptyLike(beforeIn) : afterIn;
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const key of keys) walk(before[key], after[key], joinKey(path, key), out);
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const found = out.length;
    if (isNamedList(before) && isNamedList(after)) walkNamed(before, after, path, out);
    else
      for (let i = 0; i < Math.max(before.length, after.length); i++)
        walk(before[i], after[i], `${path}[${i}]`, out);
    // Same named elements in another order: still a difference, reported on the list itself.
    if (out.length === found) out.push(leaf(path, before, after));
    return;
  }
  out.push(leaf(path, before, after));
}

function walkNamed(before: Named[], after: Named[], path: string, out: FieldDiff[]): void {
  const old = new Map(before.map((e) => [e.name, e]));
  const names = [
    ...after.map((e) => e.name),
    ...before.map((e) => e.name).filter((n) => !after.some((e) => e.name === n)),
  ];
  const now = new Map(after.map((e) => [e.name, e]));
  for (const name of names) {
    const b = old.get(name);
    const a = now.get(name);
    const elementPath = `${path}[${name}]`;
    if (b && a) {
      const { name: _bn, ...bRest } = b;
      const { name: _an, ...aRest } = a;
      walk(canonicalize(bRest), canonicalize(aRest), elementPath, out);
    } else {
      out.push(leaf(elementPath, b && withoutName(b), a && withoutName(a)));
    }
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

function withoutName(entry: Named): unknown {
  const { name: _name, ...rest } = entry;
  return canonicalize(rest) ?? {};
}

function emptyLike(value: unknown): unknown {
  if (Array.isArray(value)) return [];
  if (isRecord(value)) return {};
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
