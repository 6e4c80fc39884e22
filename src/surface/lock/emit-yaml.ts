/**
 * A small YAML emitter for JSON data, written for lock files that people review in pull requests.
 * A general YAML library picks quoting and styles by its own heuristics; a lock needs the opposite:
 * one way to write each value, so the same surface is always the same bytes, and nothing hidden.
 * - Mappings keep the key order they are given (callers sort); sequences and mappings are block style.
 * - Strings are plain only when they are identifier-like and could not be read as anything else;
 *   otherwise double-quoted, or a literal block scalar (`|`, `|-`, `|+`) when they span lines.
 * - Any invisible or control character (zero-width, bidi, Unicode tag characters, NBSP, ...) forces
 *   double quotes and is written as an escape (`\u200B`, `\U000E0041`), so a reviewer sees it.
 * The loader (js-yaml, YAML 1.2 core schema) reads the output back to exactly the same data;
 * test/surface/lock/emit-yaml.test.ts checks that round trip on awkward strings.
 */

/** Characters a reviewer could not see in a diff: controls, format, private use, unassigned, odd spaces. */
const HIDDEN = /[\p{C}\p{Zl}\p{Zp}]|[^\P{Zs} ]/u;
const HIDDEN_EXCEPT_LINES = /[^\P{C}\n\t]|[\p{Zl}\p{Zp}]|[^\P{Zs} ]/u;
const PLAIN = /^[A-Za-z_][A-Za-z0-9_./-]*$/;
/** Words some YAML parser (1.1 or 1.2) reads as a boolean or null. */
const RESERVED = /^(true|false|yes|no|on|off|y|n|null)$/i;

function hex(code: number, width: number): string {
  return code.toString(16).toUpperCase().padStart(width, '0');
}

/** A YAML double-quoted scalar; everything outside printable text is an escape. */
export function doubleQuoted(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (ch === ' ' || !HIDDEN.test(ch)) out += ch;
    else out += code > 0xffff ? `\\U${hex(code, 8)}` : `\\u${hex(code, 4)}`;
  }
  return `${out}"`;
}

function isPlain(text: string): boolean {
  return PLAIN.test(text) && !RESERVED.test(text);
}

/** A literal block scalar fits: several lines, nothing hidden, no whitespace-only line. */
function fitsBlock(text: string): boolean {
  if (!text.includes('\n') || HIDDEN_EXCEPT_LINES.test(text)) return false;
  const body = text.replace(/\n+$/, '');
  if (body === '') return false;
  return body.split('\n').every((line) => line === '' || /\S/.test(line));
}

/** Header and content lines of a literal block scalar whose content sits at `indent`. */
function blockLines(text: string, indent: number, relative: number): string[] {
  const trailing = /\n*$/.exec(text)?.[0].length ?? 0;
  const chomp = trailing === 0 ? '-' : trailing === 1 ? '' : '+';
  const body = text.slice(0, text.length - trailing);
  const lines = body.split('\n');
  const firstContent = lines.find((l) => l !== '') ?? '';
  const indicator = firstContent.startsWith(' ') ? String(relative) : '';
  const pad = ' '.repeat(indent);
  const content = lines.map((l) => (l === '' ? '' : pad + l));
  for (let i = 1; i < trailing; i++) content.push('');
  return [`|${indicator}${chomp}`, ...content];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function scalar(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : 'null';
  if (typeof value === 'string') return isPlain(value) ? value : doubleQuoted(value);
  if (Array.isArray(value)) return '[]';
  return '{}';
}

function isBlockCollection(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  return isObject(value) && Object.keys(value).length > 0;
}

function key(name: string): string {
  return isPlain(name) ? name : doubleQuoted(name);
}

function mappingLines(value: Record<string, unknown>, indent: number): string[] {
  const pad = ' '.repeat(indent);
  const out: string[] = [];
  for (const [name, child] of Object.entries(value)) {
    if (child === undefined) continue;
    if (isBlockCollection(child)) {
      out.push(`${pad}${key(name)}:`, ...nodeLines(child, indent + 2));
    } else if (typeof child === 'string' && fitsBlock(child)) {
      const [header, ...content] = blockLines(child, indent + 2, 2);
      out.push(`${pad}${key(name)}: ${header}`, ...content);
    } else {
      out.push(`${pad}${key(name)}: ${scalar(child)}`);
    }
  }
  return out;
}

function sequenceLines(value: unknown[], indent: number): string[] {
  const pad = ' '.repeat(indent);
  const out: string[] = [];
  for (const item of value) {
    if (isBlockCollection(item)) {
      const inner = nodeLines(item, indent + 2);
      out.push(`${pad}- ${(inner[0] ?? '').slice(indent + 2)}`, ...inner.slice(1));
    } else {
      out.push(`${pad}- ${scalar(item)}`);
    }
  }
  return out;
}

function nodeLines(value: unknown, indent: number): string[] {
  if (Array.isArray(value)) return sequenceLines(value, indent);
  if (isObject(value)) return mappingLines(value, indent);
  return [`${' '.repeat(indent)}${scalar(value)}`];
}

/** One YAML document (no `---`), ending in a newline. */
export function emitYaml(value: unknown): string {
  if (!isBlockCollection(value)) return `${scalar(value)}\n`;
  return `${nodeLines(value, 0).join('\n')}\n`;
}
