/**
 * Source positions, computed lazily: the fast path (js-yaml) keeps none, and only a file that
 * needs a diagnostic is parsed again for positions: from js-yaml's event stream where that gives
 * `yaml`'s offsets (event-positions.ts), else with `yaml` and a LineCounter. `yaml` is loaded on
 * first use (synchronously, through require) so a run that never needs it never pays for it.
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

/** One per file: parses at most once, on the first `locate` of any of its documents. */
export class FileLocator {
  private parsed: ParsedFile | undefined;
  private events: EventPositions | null | undefined;
  private lineStarts: number[] | undefined;

  constructor(
    readonly file: string,
    private readonly text: string,
  ) {}

  forDocument(index: number): Locate {
    return (path, which = 'value') => this.locate(index, path, which);
  }

  locate(index: number, path: Path, which: 'key' | 'value'): SourceLocation {
    if (this.events === undefined) this.events = eventPositions(this.text) ?? null;
    if (this.events === null) return this.locateWithYaml(index, path, which);
    const offset = this.events.offset(index, path, which);
    if (offset === undefined) return { file: this.file, line: 1, col: 1 };
    return { file: this.file, ...this.linePos(offset) };
  }

  /** 1-based line and column of `offset`, as `yaml`'s LineCounter gives them. */
  private linePos(offset: number): { line: number; col: number } {
    if (!this.lineStarts) {
      this.lineStarts = [0];
      for (let i = this.text.indexOf('\n'); i >= 0; i = this.text.indexOf('\n', i + 1))
        this.lineStarts.push(i + 1);
    }
    const starts = this.lineStarts;
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
    if (!this.parsed) {
      const Y = yaml();
      const lineCounter = new Y.LineCounter();
      const documents = Y.parseAllDocuments(this.text, { lineCounter, uniqueKeys: false });
      this.parsed = {
        documents: Array.isArray(documents) ? documents : [],
        linePos: (offset) => lineCounter.linePos(offset),
      };
    }
    return this.parsed;
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
