/**
 * Text edits of one element of a TOML array of tables (`[[mcp_servers]]` and the subtables that
 * follow it, such as `[mcp_servers.env]`), so the rest of the file — the user's comments, blank
 * lines, other elements, key order — stays byte for byte. Elements are addressed by their order
 * in the file; the caller checks the result by parsing it (toml-document.ts).
 */
import { arrayHeaderPath, type Section, sections } from './codex/edit-toml.js';

interface Element {
  start: number;
  end: number;
}

/** The `[[key]]` elements of the file, each with the subtables that belong to it. */
function elements(lines: readonly string[], key: string): Element[] {
  const out: Element[] = [];
  let current: Element | undefined;
  for (const s of sections(lines)) {
    const array = arrayHeaderPath(lines[s.start]!);
    if (array?.length === 1 && array[0] === key) {
      current = { start: s.start, end: s.end };
      out.push(current);
    } else if (current && belongsToElement(s, array, key)) {
      current.end = s.end;
    } else current = undefined;
  }
  return out;
}

const belongsToElement = (s: Section, array: string[] | undefined, key: string) => {
  const path = array ?? s.path;
  return path !== undefined && path.length > 1 && path[0] === key;
};

/**
 * `text` with element `index` of `[[key]]` replaced by `block` (or removed when `block` is
 * undefined); with `index` undefined, `block` goes after the last element, or at the end of the
 * file when there is none, set off by a blank line.
 */
export function replaceArrayTable(
  text: string,
  key: string,
  index: number | undefined,
  block?: string,
): string {
  const lines = text.split('\n');
  const all = elements(lines, key);
  const blockLines = block === undefined ? [] : block.replace(/\n+$/, '').split('\n');
  const element = index === undefined ? undefined : all[index];
  if (element) {
    let end = element.end;
    if (blockLines.length === 0) while (end < lines.length && lines[end] === '') end++;
    lines.splice(element.start, end - element.start, ...blockLines);
    return lines.join('\n');
  }
  if (blockLines.length === 0) return text;
  const last = all.at(-1);
  if (last) {
    const next = lines[last.end];
    lines.splice(last.end, 0, '', ...blockLines, ...(next === undefined || next === '' ? [] : ['']));
    return lines.join('\n');
  }
  const body = text.replace(/\n+$/, '');
  return `${body === '' ? '' : `${body}\n\n`}${blockLines.join('\n')}\n`;
}
