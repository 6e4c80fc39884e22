/**
 * Orders servers so that each comes after everything it `dependsOn` (Kahn's algorithm, stable:
 * alphabetical among servers that are ready at the same time). Dependencies that are not in the
 * list (deployed elsewhere) do not constrain the order.
 */
import { McpGitopsError } from '../core/errors.js';

export interface Orderable {
  name: string;
  dependsOn?: string[];
}

function insertSorted(list: string[], name: string): void {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]! < name) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, name);
}

/**
 * `items` in dependency order. `dependsOn` reads an item's dependencies (default: its own
 * `dependsOn`), so callers order what they hold without copying each item to add the field.
 */
export function orderByDependencies<T extends { name: string }>(
  items: readonly T[],
  dependsOn: (item: T) => readonly string[] | undefined = (item) => (item as Orderable).dependsOn,
): T[] {
  const byName = new Map(items.map((item) => [item.name, item]));
  const waitingOn = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const item of items) {
    const declared = dependsOn(item);
    const deps =
      declared === undefined || declared.length === 0
        ? []
        : [...new Set(declared)].filter((d) => byName.has(d) && d !== item.name);
    waitingOn.set(item.name, deps.length);
    for (const dep of deps) {
      const list = dependents.get(dep);
      if (list) list.push(item.name);
      else dependents.set(dep, [item.name]);
    }
  }
  const ready = [...waitingOn]
    .filter(([, n]) => n === 0)
    .map(([name]) => name)
    .sort();
  const out: T[] = [];
  while (ready.length > 0) {
    const name = ready.shift()!;
    out.push(byName.get(name)!);
    for (const dependent of dependents.get(name) ?? []) {
      const left = waitingOn.get(dependent)! - 1;
      waitingOn.set(dependent, left);
      if (left === 0) insertSorted(ready, dependent);
    }
  }
  if (out.length !== byName.size) {
    const cycle = [...waitingOn]
      .filter(([, n]) => n > 0)
      .map(([name]) => name)
      .sort();
    throw new McpGitopsError('ERR_INVALID_CONFIG', `dependsOn cycle between servers: ${cycle.join(', ')}`, {
      hint: 'remove one of the dependsOn entries; `mcp-gitops validate` shows where',
    });
  }
  return out;
}
