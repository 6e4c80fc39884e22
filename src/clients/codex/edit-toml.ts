/**
 * Text edits of one `[mcp_servers.<name>]` table (and its subtables) in a Codex `config.toml`, so
 * everything else in the file — the user's comments, blank lines, key order, quoting — stays byte
 * for byte. The caller checks the result by parsing it and falls back to re-serializing the whole
 * file when the layout is one these edits do not handle (an inline `mcp_servers = { … }`, dotted
 * keys, a server split across the file in unusual ways): the data is then right, only the comments
 * are lost, as before.
 */

/** A table header line: `[a.b."c d"]` (not `[[array]]` tables), with an optional comment. */
const HEADER = /^\s*\[(?!\[)((?:[^\]"'#]|"(?:[^"\\]|\\.)*"|'[^']*')+)\]\s*(?:#.*)?$/;
const ARRAY_HEADER = /^\s*\[\[/;
const BARE = /^[A-Za-z0-9_-]+$/;

/** The key path of a header (`mcp_servers."my srv".env` → ["mcp_servers", "my srv", "env"]). */
export function headerPath(line: string): string[] | undefined {
  const m = HEADER.exec(line);
  if (!m) return ARRAY_HEADER.test(line) ? [] : undefined;
  const out: string[] = [];
  const text = m[1]!;
  let i = 0;
  const skipSpace = () => {
    while (text[i] === ' ' || text[i] === '\t') i++;
  };
  while (i < text.length) {
    skipSpace();
    if (text[i] === '"') {
      const end = /^"((?:[^"\\]|\\.)*)"/.exec(text.slice(i));
      if (!end) return undefined;
      try {
        out.push(JSON.parse(`"${end[1]}"`) as string);
      } catch {
        return undefined;
      }
      i += end[0].length;
    } else if (text[i] === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) return undefined;
      out.push(text.slice(i + 1, end));
      i = end + 1;
    } else {
      const end = /^[^.\s]+/.exec(text.slice(i));
      if (!end || !BARE.test(end[0])) return undefined;
      out.push(end[0]);
      i += end[0].length;
    }
    skipSpace();
    if (i < text.length) {
      if (text[i] !== '.') return undefined;
      i++;
    }
  }
  return out;
}

/** The key path of an array-of-tables header (`[[mcp_servers]]` → ["mcp_servers"]), else undefined. */
export function arrayHeaderPath(line: string): string[] | undefined {
  const m = /^(\s*)\[(\[[^\n]*\])\](\s*(?:#.*)?)$/.exec(line);
  return m ? headerPath(`${m[1]}${m[2]}${m[3]}`) : undefined;
}

export interface Section {
  path: string[] | undefined;
  /** First line (the header) and one past the last line of its content. */
  start: number;
  end: number;
}

/** The file as sections: each header to the last non-blank, non-comment line before the next one. */
export function sections(lines: readonly string[]): Section[] {
  const out: Section[] = [];
  for (let i = 0; i < lines.length; i++) {
    const path = headerPath(lines[i]!);
    if (path === undefined && !HEADER.test(lines[i]!) && !ARRAY_HEADER.test(lines[i]!)) continue;
    out.push({ path, start: i, end: i + 1 });
  }
  for (let s = 0; s < out.length; s++) {
    const next = s + 1 < out.length ? out[s + 1]!.start : lines.length;
    let end = next;
    while (end > out[s]!.start + 1 && /^\s*(#.*)?$/.test(lines[end - 1]!)) end--;
    out[s]!.end = end;
  }
  return out;
}

/**
 * `text` with the server's table(s) replaced by `block` (or removed when `block` is undefined).
 * A server that has no table yet goes after the last server table, or at the end of the file when
 * there is none, set off by a blank line. An empty `[mcp_servers]` header is dropped: the server
 * tables need none, and with no server left it would stand alone.
 */
export function replaceServerTables(text: string, name: string, block: string | undefined): string {
  const lines = text.split('\n');
  const all = sections(lines);
  const blockLines = block === undefined ? [] : block.replace(/\n+$/, '').split('\n');
  const own = all.filter((s) => belongs(s.path, name));
  const edits: Edit[] = [];
  /** A removed table takes the blank lines that separated it from what follows. */
  const remove = (s: Section) => {
    let end = s.end;
    while (end < lines.length && lines[end] === '') end++;
    edits.push({ start: s.start, end, insert: [] });
  };
  own.forEach((s, i) => {
    if (i === 0 && blockLines.length > 0) edits.push({ start: s.start, end: s.end, insert: blockLines });
    else remove(s);
  });
  all.filter(isEmptyServersHeader).forEach(remove);
  if (own.length === 0 && blockLines.length > 0) {
    const lastServer = all.filter((s) => isServerTable(s.path)).at(-1);
    if (lastServer) {
      const next = lines[lastServer.end];
      const after = next === undefined || next === '' ? [] : [''];
      edits.push({ start: lastServer.end, end: lastServer.end, insert: ['', ...blockLines, ...after] });
    }
  }
  // Later edits first, so earlier offsets stay valid; at one line, a removal before an insertion.
  edits.sort((a, b) => b.start - a.start || b.end - a.end);
  for (const e of edits) lines.splice(e.start, e.end - e.start, ...e.insert);
  const edited = lines.join('\n');
  if (own.length > 0 || blockLines.length === 0 || edits.some((e) => e.start === e.end)) return edited;
  const body = edited.replace(/\n+$/, '');
  return `${body === '' ? '' : `${body}\n\n`}${blockLines.join('\n')}\n`;
}

interface Edit {
  /** Lines [start, end) are replaced by `insert`. */
  start: number;
  end: number;
  insert: string[];
}

const belongs = (path: string[] | undefined, name: string) => isServerTable(path) && path![1] === name;

const isServerTable = (path: string[] | undefined) =>
  path !== undefined && path.length >= 2 && path[0] === 'mcp_servers';

/** A bare `[mcp_servers]` header with no keys under it. */
const isEmptyServersHeader = (s: Section) =>
  s.path?.length === 1 && s.path[0] === 'mcp_servers' && s.end === s.start + 1;
