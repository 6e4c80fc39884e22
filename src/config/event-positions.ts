/**
 * Source positions from js-yaml's event stream: the same parser the loader uses, about five times
 * faster than re-parsing with `yaml`. A plan that warns about 1,000 servers (say, unset secrets)
 * locates a field in 1,000 files; with `yaml` that re-parse was half of the plan (issue 16).
 *
 * The offsets are the ones `yaml` gives for the same text (its node ranges start at a collection's
 * first token, a quoted scalar's quote, a plain scalar's first character), so a diagnostic points
 * at the same line and column either way. Whatever this does not model the same way — block
 * scalars, aliases, complex or non-identifier plain keys, props on collections, empty nodes outside
 * a mapping value, text js-yaml rejects — answers `undefined`, and the caller uses `yaml`.
 */
import type * as JsYaml from 'js-yaml';
import { jsYaml, jsYamlFor } from './js-yaml.js';

type Path = readonly (string | number)[];

type PositionNode =
  | { kind: 'scalar'; start: number; key?: string }
  | { kind: 'empty' }
  | { kind: 'map'; start: number; keys: string[]; values: PositionNode[]; keyStarts: number[] }
  | { kind: 'seq'; start: number; items: PositionNode[] };

/** A plain key whose core-schema value is its own text (not a number, boolean or null). */
const SIMPLE_PLAIN_KEY = /^[A-Za-z_$][\w$./-]*$/;
const NOT_STRINGS = /^(?:true|True|TRUE|false|False|FALSE|null|Null|NULL)$/;

class Unsupported extends Error {}

export interface EventPositions {
  /** The offset `yaml`'s locate would give, or `undefined` for a document index that does not exist. */
  offset(index: number, path: Path, which: 'key' | 'value'): number | undefined;
}

/** Positions of every document of `text`, or `undefined` when `yaml` must answer instead. */
export function eventPositions(text: string): EventPositions | undefined {
  let roots: PositionNode[];
  try {
    roots = build(text, jsYamlFor(text).parseEvents(text, {}));
  } catch {
    return undefined;
  }
  return { offset: (index, path, which) => offsetIn(roots[index], path, which) };
}

function build(text: string, events: JsYaml.Event[]): PositionNode[] {
  const { DOCUMENT, SEQUENCE, MAPPING, SCALAR, POP } = jsYaml().EVENT_ID;
  const roots: PositionNode[] = [];
  // Open collections; a mapping expects a key when its keys and values are of equal length.
  const stack: PositionNode[] = [];
  let documents = 0;
  const add = (node: PositionNode, keyText?: string) => {
    const parent = stack.at(-1);
    if (!parent) {
      if (roots.length !== documents - 1 || node.kind === 'empty') throw new Unsupported();
      roots.push(node);
    } else if (parent.kind === 'seq') {
      if (node.kind === 'empty') throw new Unsupported();
      parent.items.push(node);
    } else if (parent.kind === 'map') {
      if (parent.keys.length === parent.values.length) {
        if (node.kind !== 'scalar' || keyText === undefined) throw new Unsupported();
        parent.keys.push(keyText);
        parent.keyStarts.push(node.start);
      } else {
        parent.values.push(node);
      }
    }
  };
  for (const event of events) {
    if (event.type === DOCUMENT) {
      documents++;
    } else if (event.type === MAPPING || event.type === SEQUENCE) {
      if (event.anchorStart !== -1 || event.tagStart !== -1) throw new Unsupported();
      const node: PositionNode =
        event.type === MAPPING
          ? { kind: 'map', start: event.start, keys: [], values: [], keyStarts: [] }
          : { kind: 'seq', start: event.start, items: [] };
      add(node);
      stack.push(node);
    } else if (event.type === SCALAR) {
      const scalar = scalarNode(text, event);
      add(scalar.node, scalar.key);
    } else if (event.type === POP) {
      // Closes a collection, or, with none open, the document (which must have had a root).
      if (stack.length > 0) stack.pop();
      else if (roots.length !== documents) throw new Unsupported();
    } else {
      throw new Unsupported(); // an alias
    }
  }
  if (roots.length !== documents) throw new Unsupported();
  return roots;
}

function scalarNode(text: string, event: JsYaml.ScalarEvent): { node: PositionNode; key?: string } {
  const { PLAIN, SINGLE_QUOTED, DOUBLE_QUOTED } = jsYaml().SCALAR_STYLE;
  if (event.valueStart === -1) {
    if (event.style !== PLAIN || event.tagStart !== -1 || event.anchorStart !== -1) throw new Unsupported();
    return { node: { kind: 'empty' } };
  }
  if (event.style === PLAIN) {
    const raw = text.slice(event.valueStart, event.valueEnd);
    const key = SIMPLE_PLAIN_KEY.test(raw) && !NOT_STRINGS.test(raw) ? raw : undefined;
    return { node: { kind: 'scalar', start: event.valueStart }, ...(key === undefined ? {} : { key }) };
  }
  if (event.style === SINGLE_QUOTED || event.style === DOUBLE_QUOTED) {
    const start = event.valueStart - 1;
    if (text[start] !== (event.style === SINGLE_QUOTED ? "'" : '"')) throw new Unsupported();
    return { node: { kind: 'scalar', start }, key: jsYaml().getScalarValue(text, event) };
  }
  throw new Unsupported(); // a block scalar: `yaml` starts it at its header
}

function offsetIn(root: PositionNode | undefined, path: Path, which: 'key' | 'value'): number | undefined {
  if (!root || root.kind === 'empty') return undefined;
  let node: PositionNode = root;
  let offset = root.start;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    const last = i === path.length - 1;
    if (node.kind === 'map') {
      const at: number = node.keys.indexOf(String(seg));
      if (at < 0) break;
      const keyStart = node.keyStarts[at] as number;
      if (last && which === 'key') return keyStart;
      const value: PositionNode | undefined = node.values[at];
      if (!value || value.kind === 'empty') return keyStart;
      offset = value.start;
      node = value;
    } else if (node.kind === 'seq') {
      const item: PositionNode | undefined = node.items[Number(seg)];
      if (!item || item.kind === 'empty') break;
      offset = item.start;
      node = item;
    } else {
      break;
    }
  }
  return offset;
}
