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

interface Section {
  path: string[] | undefined;
  /** First line (the header) and one past the last line of its content. */
  start: number;
  end: number;
}

/** The file as sections: each header to the last non-blank, non-comment line before the next one. */
function sections(lines: readonly string[]): Section[] {
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

const belongs = (path: string[] | undefined, name: string) =>
  path !== undefined && path.length >= 2 && path[0] === 'mcp_servers' && path[1] === name;

/**
 * `text` with the server's table(s) replaced by `block` (or removed when `block` is undefined);
 * a server that has no table yet is appended at the end.
 */
export function replaceServerTables(text: string, name: string, block: string | undefined): string {
  const lines = text.split('\n');
  const own = sections(lines).filter((s) => belongs(s.path, name));
  const blockLines = block === undefined ? [] : block.replace(/\n+$/, '').split('\n');
  if (own.length === 0) {
    if (blockLines.length === 0) return text;
    const body = text.replace(/\n+$/, '');
    return `${body === '' ? '' : `${body}\n\n`}${blockLines.join('\n')}\n`;
  }
  const out: string[] = [];
  let at = 0;
  own.forEach((section, i) => {
    out.push(...lines.slice(at, section.start));
    if (i === 0) out.push(...blockLines);
    at = section.end;
    // A removed table takes the blank line that separated it from what follows.
    if (blockLines.length === 0 || i > 0) while (at < lines.length && lines[at] === '') at++;
  });
  out.push(...lines.slice(at));
  return out.join('\n');
}
