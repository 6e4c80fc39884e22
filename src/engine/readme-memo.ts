/**
 * The Markdown READMEs of the reports are a pure function of the report files they summarize and
 * of the templates that render them. A run that leaves every report of an environment byte for
 * byte as committed (every no-op reconcile, every `serve` tick with nothing new) would render the
 * same README again: ~20 ms at 1,000 servers, most of it loading handlebars' runtime and walking
 * the inventory. This memo remembers, per repository, which README (its sha256) this build
 * rendered from which report texts (the sha256 of their paths and bytes), so such a run takes the
 * README committed at HEAD instead, once its sha256 is the one remembered.
 *
 * Nothing but hashes is stored: the inputs and outputs are files committed in the repo anyway.
 * The memo is keyed by the build (the config cache's build id, which covers the code, plus the
 * precompiled templates, which the build makes from templates/): run from the sources, or with
 * `MCP_GITOPS_CONFIG_CACHE=0`, there is none and every README is rendered. It lives beside the
 * config cache in the git dir (one file, 0600, written atomically, at most MAX_KEYS keys), and any
 * failure to read or write it only means rendering.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { productBuildId } from '../config-cache/build-id.js';
import { gitDirOf, readEntry, writeEntry } from '../config-cache/cache-store.js';
import { precompiledTemplates } from '../report/precompiled-templates.js';

/** Keys kept: a few hundred environments' worth of the latest READMEs. */
export const MAX_KEYS = 256;
/** What MAX_KEYS keys take (~140 bytes each), with room: a larger file is not ours to parse. */
export const MAX_MEMO_BYTES = 256 * 1024;
const ENTRY = 'readmes';
const FORMAT = 1;

export interface ReadmeMemo {
  /** The key of a README rendered for `name` (an environment, or `` for the index) from these report files. */
  key(name: string, reports: readonly (readonly [path: string, text: string])[]): string;
  /** Whether `readme` is what this build rendered for `key`. */
  rendered(key: string, readme: string): boolean;
  remember(key: string, readme: string): void;
  /** Writes the memo if something new was remembered. Never throws. */
  save(): void;
}

interface Stored {
  format: number;
  build: string;
  /** Oldest first. */
  entries: [key: string, readme: string][];
}

let renderBuild: string | null | undefined;

/** The build the READMEs are rendered by, or undefined when there is no memo (see above). */
function renderBuildId(): string | undefined {
  if (renderBuild === undefined) {
    const build = productBuildId();
    renderBuild =
      build === undefined || precompiledTemplates === undefined
        ? null
        : sha256(`${build}\0${JSON.stringify(precompiledTemplates)}`);
  }
  return renderBuild ?? undefined;
}

/** The memo of the repository at `root`, or undefined when there is none to keep (`build`: for tests). */
export function openReadmeMemo(root: string, build = renderBuildId()): ReadmeMemo | undefined {
  const gitDir = gitDirOf(root);
  if (build === undefined || gitDir === undefined) return undefined;
  const dir = join(gitDir, 'mcp-gitops', 'readme-memo');
  const entries = new Map(readStored(dir, build));
  // Each text hashed once: the index's key covers the same reports as the environments'.
  const digests = new Map<string, string>();
  const digest = (text: string) => {
    let d = digests.get(text);
    if (d === undefined) {
      d = sha256(text);
      digests.set(text, d);
    }
    return d;
  };
  let changed = false;
  return {
    key(name, reports) {
      const hash = createHash('sha256').update(`${build}\0${name}\0`);
      for (const [path, text] of [...reports].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
        hash.update(`${path}\0${digest(text)}\0`);
      return hash.digest('hex');
    },
    rendered: (key, readme) => entries.get(key) === sha256(readme),
    remember(key, readme) {
      const value = sha256(readme);
      if (entries.get(key) === value) return;
      entries.delete(key);
      entries.set(key, value);
      while (entries.size > MAX_KEYS) entries.delete(entries.keys().next().value as string);
      changed = true;
    },
    save() {
      if (!changed) return;
      const stored: Stored = { format: FORMAT, build, entries: [...entries] };
      writeEntry(dir, ENTRY, Buffer.from(JSON.stringify(stored)));
      changed = false;
    },
  };
}

function readStored(dir: string, build: string): [string, string][] {
  const data = readEntry(dir, ENTRY);
  if (data === undefined || data.length > MAX_MEMO_BYTES) return [];
  try {
    const stored = JSON.parse(data.toString('utf8')) as Partial<Stored>;
    if (stored.format !== FORMAT || stored.build !== build || !Array.isArray(stored.entries)) return [];
    return stored.entries
      .filter(
        (e): e is [string, string] =>
          Array.isArray(e) && e.length === 2 && HEX64.test(String(e[0])) && HEX64.test(String(e[1])),
      )
      .slice(-MAX_KEYS);
  } catch {
    return [];
  }
}

const HEX64 = /^[0-9a-f]{64}$/;

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
