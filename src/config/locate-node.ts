/**
 * Source positions, computed lazily: the fast path (js-yaml) keeps none, and only a file that
 * needs a diagnostic is re-parsed here with `yaml` and a LineCounter. `yaml` is loaded on first
 * use (synchronously, through require) so a clean run never pays for it.
 */
import { createRequire } from 'node:module';
import type { SourceLocation } from '../core/config-set.js';

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

  constructor(
    readonly file: string,
    private readonly text: string,
  ) {}

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

  forDocument(index: number): Locate {
    return (path, which = 'value') => this.locate(index, path, which);
  }

  locate(index: number, path: Path, which: 'key' | 'value'): SourceLocation {
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
