/**
 * Which parts of a resource a policy's `assert` (a JSON Schema) can look at. A schema keyword only
 * ever inspects the value where it is applied and what lies below it, so following `properties`
 * (and the applicators that stay in place: allOf, anyOf, oneOf, not, if/then/else) gives every
 * place the schema reads. Anything else is taken to read the whole value where it stands: the
 * answer may be wider than the truth, never narrower.
 *
 * Used to judge a server once for all the environments that resolve it identically where the
 * policy looks (evaluate-policies.ts), instead of once per environment and target.
 */

/** A place the schema reads. `deep`: the value and everything below it; else only its type and presence. */
export interface Read {
  path: readonly string[];
  deep: boolean;
}

/** Keywords that apply a subschema at the same place. */
const IN_PLACE = ['allOf', 'anyOf', 'oneOf'] as const;
const IN_PLACE_SINGLE = ['not', 'if', 'then', 'else'] as const;

/** Keywords that read nothing of the instance. */
const ANNOTATIONS: ReadonlySet<string> = new Set([
  '$schema',
  '$id',
  '$anchor',
  '$comment',
  '$defs',
  'definitions',
  'title',
  'description',
  'default',
  'examples',
  'deprecated',
  'readOnly',
  'writeOnly',
  'errorMessage',
]);

const HANDLED: ReadonlySet<string> = new Set([
  'properties',
  'required',
  'type',
  ...IN_PLACE,
  ...IN_PLACE_SINGLE,
]);

function walk(schema: unknown, path: string[], out: Read[]): void {
  if (schema === true) return;
  if (schema === false) {
    out.push({ path, deep: false });
    return;
  }
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) {
    out.push({ path, deep: true });
    return;
  }
  const s = schema as Record<string, unknown>;
  for (const key of Object.keys(s)) {
    if (ANNOTATIONS.has(key)) continue;
    if (!HANDLED.has(key)) {
      out.push({ path, deep: true });
      return;
    }
  }
  if (s.type !== undefined) out.push({ path, deep: false });
  if (Array.isArray(s.required)) {
    for (const name of s.required) out.push({ path: [...path, String(name)], deep: false });
  } else if (s.required !== undefined) {
    out.push({ path, deep: true });
  }
  const properties = s.properties;
  if (properties !== undefined) {
    if (properties === null || typeof properties !== 'object' || Array.isArray(properties)) {
      out.push({ path, deep: true });
    } else {
      for (const [name, sub] of Object.entries(properties)) walk(sub, [...path, name], out);
    }
  }
  for (const key of IN_PLACE) {
    const list = s[key];
    if (list === undefined) continue;
    if (Array.isArray(list)) for (const sub of list) walk(sub, path, out);
    else out.push({ path, deep: true });
  }
  for (const key of IN_PLACE_SINGLE) if (s[key] !== undefined) walk(s[key], path, out);
}

/** Every place `schema` reads, as paths from the resource's root. */
export function assertReads(schema: unknown): Read[] {
  const out: Read[] = [];
  walk(schema, [], out);
  return out;
}

/** The reads under `spec`, as dotted paths relative to it ('' is the whole spec). */
export interface SpecReads {
  /** Something reads the whole resource. */
  all: boolean;
  deep: string[];
  shallow: string[];
}

export function specReads(reads: readonly Read[]): SpecReads {
  const out: SpecReads = { all: false, deep: [], shallow: [] };
  for (const read of reads) {
    if (read.path.length === 0) {
      if (read.deep) out.all = true;
      continue; // only that the resource is an object
    }
    if (read.path[0] !== 'spec') continue; // apiVersion, kind, metadata: the same everywhere
    (read.deep ? out.deep : out.shallow).push(read.path.slice(1).join('.'));
  }
  return out;
}

/** `prefix` is `path` or one of its ancestors (dotted; '' is the root). */
function covers(prefix: string, path: string): boolean {
  return prefix === '' || prefix === path || (path.length > prefix.length && path.startsWith(`${prefix}.`));
}

/**
 * Whether any read can see a difference made at `changed` (a path under `spec`): a rendered
 * template changes a string's text, never its type or presence; an override can also replace,
 * add or delete the value at its path.
 *
 * Array positions are not compared (normalizing sorts some lists): the changed path is cut at
 * its first index, and dotted paths may only claim more overlaps than there are, never fewer.
 */
export function seesChange(
  reads: SpecReads,
  changed: readonly (string | number)[],
  kind: 'template' | 'override',
): boolean {
  if (reads.all) return true;
  let at = '';
  for (const segment of changed) {
    if (typeof segment === 'number') break;
    at = at === '' ? segment : `${at}.${segment}`;
  }
  for (const read of reads.deep) if (covers(read, at) || covers(at, read)) return true;
  if (kind === 'override') {
    for (const read of reads.shallow) if (covers(at, read)) return true;
    // Normalizing derives the default `path` from `transport` and `remote`.
    if ((at === 'transport' || at === 'remote') && seesChange(reads, ['path'], kind)) return true;
  }
  return false;
}
