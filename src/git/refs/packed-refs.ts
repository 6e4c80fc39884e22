/**
 * `packed-refs` (written by `git pack-refs` and `git gc`): `<oid> <name>` lines, each annotated
 * tag's peeled commit on a `^<oid>` line after it, `#` comment lines. Parsed as isomorphic-git
 * parses it (a peeled line becomes `<name>^{}`), so both readers see the same refs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export function parsePackedRefs(text: string): Map<string, string> {
  const refs = new Map<string, string>();
  let last: string | undefined;
  for (const line of text.trim().split('\n')) {
    if (/^\s*#/.test(line)) continue;
    if (line.startsWith('^')) {
      refs.set(`${last}^{}`, line.slice(1));
      continue;
    }
    const space = line.indexOf(' ');
    last = line.slice(space + 1);
    refs.set(last, line.slice(0, space));
  }
  return refs;
}

/** The packed refs of the repository whose common git folder is `commonDir` (none: empty). */
export function readPackedRefs(commonDir: string): Map<string, string> {
  let text: string;
  try {
    text = fs.readFileSync(path.join(commonDir, 'packed-refs'), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw err;
  }
  return text === '' ? new Map() : parsePackedRefs(text);
}
