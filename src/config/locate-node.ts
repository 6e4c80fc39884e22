/**
 * Source positions, computed lazily: the fast path (js-yaml) keeps none, and only a file that
 * needs a diagnostic is parsed again for positions: from js-yaml's event stream where that gives
 * `yaml`'s offsets (event-positions.ts), else with `yaml` and a LineCounter. `yaml` is loaded on
 * first use (synchronously, through require) so a run that never needs it never pays for it.
 *
 * The positions of a file take about ten times its text in memory, so one PositionCache per
 * loaded config keeps those of long files and only the most recent of the short ones: a plan that
 * warns about every server of a 10,000-server repo located a field in every file, and keeping all
 * their positions was ~80 MB of its heap at the end.
 */
import { createRequire } from 'node:module';
import type { SourceLocation } from '../core/config-set.js';
import { type EventPositions, eventPositions } from './event-positions.js';

type YamlModule = typeof import('yaml');
type YamlDocument = import('yaml').Document.Parsed;
type YamlNode = import('yaml').Node;

let yamlModule: YamlModule | undefined;
function yaml(): YamlModule {
  yamlModule ??= createRequire(import.meta.url)('yaml') as YamlModule;
  return yamlModule;
}

export type Path = readonly (string | number)[];
export type Locate = (path: Path, which?: 'key' | 'value') => SourceLocation;

interface ParsedFile {
  documents: YamlDocument[];
  linePos(offset: number): { line: number; col: number };
}

/** What one file's positions are, once computed. */
interface Positions {
  events?: EventPositions | null;
  lineStarts?: number[];
  parsed?: ParsedFile;
}

/**
 * A file this long keeps its positions once computed (parsing it again per warning would cost a
 * multiple of the whole plan). A one-server file is ~1 Ki characters; an environment listing
 * 10,000 servers ~600 Ki.
 */
export const KEEP_POSITIONS_CHARS = 16 * 1024;
/** Characters of the smaller files whose positions are kept, the least recently located dropped first. */
export const RECENT_POSITIONS_CHARS = 64 * 1024;

/**
 * Which files keep their positions: every long file, and the most recent of the others up to
 * RECENT_POSITIONS_CHARS of their text. Locating a dropped file again costs one parse of at most
 * KEEP_POSITIONS_CHARS characters.
 *
 * The positions live on their FileLocator, and dropping them clears its field: the locators of a
 * loaded config are old objects, and a young tree that an old object (a Map's outgrown table, a
 * locator) still points at survives every young-generation collection until the next full one.
 */
export class PositionCache {
  // A Set iterates in insertion order: re-inserting on use keeps the least recent first.
  private readonly recent = new Set<FileLocator>();
  private recentChars = 0;

  /** `locator` is being located: keep its positions, drop those of the least recent over the budget. */
  use(locator: FileLocator): void {
    if (locator.size >= KEEP_POSITIONS_CHARS) return;
    if (this.recent.delete(locator)) {
      this.recent.add(locator);
      return;
    }
    this.recent.add(locator);
    this.recentChars += locator.size;
    for (const old of this.recent) {
      if (this.recentChars <= RECENT_POSITIONS_CHARS) break;
      this.recent.delete(old);
      this.recentChars -= old.size;
      old.dropPositions();
    }
  }
}

/** One per file: parses on the first `locate` of any of its documents, again only if its positions were dropped. */
export class FileLocator {
  private positions: Positions | undefined;

  constructor(
    readonly file: string,
    private readonly text: string,
    private readonly cache: PositionCache = new PositionCache(),
  ) {}

  /** Forget the positions (PositionCache's choice); the next `locate` parses again. */
  dropPositions(): void {
    this.positions = undefined;
  }

  private ownPositions(): Positions {
    this.cache.use(this);
    this.positions ??= {};
    return this.positions;
  }

  /** Characters of text, what its positions count against a PositionCache. */
  get size(): number {
    return this.text.length;
  }

  forDocument(index: number): Locate {
    return (path, which = 'value') => this.locate(index, path, which);
  }

  locate(index: number, path: Path, which: 'key' | 'value'): SourceLocation {
    const positions = this.ownPositions();
    if (positions.events === undefined) positions.events = eventPositions(this.text) ?? null;
    if (positions.events === null) return this.locateWithYaml(index, path, which);
    const offset = positions.events.offset(index, path, which);
    if (offset === undefined) return { file: this.file, line: 1, col: 1 };
    return { file: this.file, ...this.linePos(positions, offset) };
  }

  /** 1-based line and column of `offset`, as `yaml`'s LineCounter gives them. */
  private linePos(positions: Positions, offset: number): { line: number; col: number } {
    if (!positions.lineStarts) {
      const lineStarts = [0];
      for (let i = this.text.indexOf('\n'); i >= 0; i = this.text.indexOf('\n', i + 1))
        lineStarts.push(i + 1);
      positions.lineStarts = lineStarts;
    }
    const starts = positions.lineStarts;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((starts[mid] as number) <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, col: offset - (starts[low] as number) + 1 };
  }

  private parse(): ParsedFile {
    const positions = this.ownPositions();
    if (!positions.parsed) {
      const Y = yaml();
      const lineCounter = new Y.LineCounter();
      const documents = Y.parseAllDocuments(this.text, { lineCounter, uniqueKeys: false });
      positions.parsed = {
        documents: Array.isArray(documents) ? documents : [],
        linePos: (offset) => lineCounter.linePos(offset),
      };
    }
    return positions.parsed;
  }

  /** The reference answer: every position re-parsed with `yaml` (exported for the tests that compare). */
  locateWithYaml(index: number, path: Path, which: 'key' | 'value'): SourceLocation {
    const { documents, linePos } = this.parse();
    const doc = documents[index];
    if (!doc) return { file: this.file, line: 1, col: 1 };
    const Y = yaml();
    let node: YamlNode | null = doc.contents;
    let offset = node?.range?.[0] ?? doc.range[0];
    for (let i = 0; i < path.length && node; i++) {
      const seg = path[i];
      const last = i === path.length - 1;
      if (Y.isMap(node)) {
        const pair = node.items.find((p) => {
          const key = Y.isScalar(p.key) ? p.key.value : p.key;
          return String(key) === String(seg);
        });
        if (!pair) break;
        const keyNode = Y.isNode(pair.key) ? pair.key : null;
        const valueNode = Y.isNode(pair.value) ? pair.value : null;
        if (last && which === 'key' && keyNode?.range) {
          offset = keyNode.range[0];
          break;
        }
        if (
          valueNode?.range &&
          !(Y.isScalar(valueNode) && valueNode.value === null && valueNode.range[0] === valueNode.range[1])
        ) {
          offset = valueNode.range[0];
        } else if (keyNode?.range) {
          offset = keyNode.range[0];
        }
        node = valueNode;
      } else if (Y.isSeq(node)) {
        const item = node.items[Number(seg)];
        if (!Y.isNode(item) || !item.range) break;
        offset = item.range[0];
        node = item;
      } else {
        break;
      }
    }
    const { line, col } = linePos(offset);
    return { file: this.file, line, col };
  }
}
