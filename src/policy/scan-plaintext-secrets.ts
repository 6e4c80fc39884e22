/**
 * The `no-plaintext-secrets` scanner: known credential shapes anywhere in the text of every YAML
 * file of the repo (values, keys and comments), plus values under secret-like keys of every
 * resource document:
 * - under a key that names a credential (`*_API_KEY`, `*_TOKEN`, `*SECRET`, `PASSWORD`,
 *   `clientSecret`, `Authorization`; see secret-like-key.ts), every value is a finding unless it
 *   is a reference, a template or an obvious placeholder (secret-value.ts), whatever its entropy;
 * - under an ambiguous key (`SORT_KEY`, `OPENAI_KEY`, `AUTH`, `SECRET_MOUNT`), only a value that
 *   looks random (shannon-entropy.ts) and is not excused either.
 * A finding says which shape or key it is and where the value starts, and never repeats the value.
 */
import type { ConfigSet, LoadedDocument } from '../core/config-set.js';
import { type SecretKeyKind, secretKeyKind } from './secret-like-key.js';
import { credentialPart, isExcused } from './secret-value.js';
import { looksRandom } from './shannon-entropy.js';
import { TOKEN_SHAPES } from './token-shapes.js';

export interface SecretFinding {
  file: string;
  line: number;
  col: number;
  message: string;
}

const FIX = 'keep the value out of git and reference it (secrets: [{ name: VAR, ref: env:VAR | file:PATH }])';
const REF_SPANS = /\$\{[^}\n]*\}|\{\{[\s\S]*?\}\}/g;
/** Cheap pre-filter: every token shape contains one of these. */
const MAY_HOLD_TOKEN =
  /gh[pousr]_|github_pat_|glpat-|AKIA|ASIA|aws_?secret|AIza|ya29\.|xox[abposr]-|hooks\.slack|_live_|sk-|PRIVATE KEY|eyJ|:\/\/[^\s:@/]+:[^\s@/]+@/i;

export function isYamlFile(path: string): boolean {
  return /\.ya?ml$/i.test(path);
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function position(starts: number[], offset: number): { line: number; col: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, col: offset - starts[lo]! + 1 };
}

export function scanPlaintextSecrets(config: Pick<ConfigSet, 'files' | 'documents'>): SecretFinding[] {
  const findings: SecretFinding[] = [];
  const byFile = new Map<string, FileScan>();
  for (const file of config.files) {
    if (!isYamlFile(file.path)) continue;
    const scan = new FileScan(file.path, file.text);
    scan.tokenShapes();
    byFile.set(file.path, scan);
  }
  for (const doc of config.documents) {
    const scan = byFile.get(doc.file);
    if (scan) scan.secretLikeValues(doc);
  }
  for (const scan of byFile.values()) findings.push(...scan.findings);
  return findings.sort((a, b) =>
    a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.col - b.col,
  );
}

/** Scans one file's text; `secretLikeValues` adds the values under secret-like keys of a document of it. */
class FileScan {
  readonly findings: SecretFinding[] = [];
  private readonly reported: [number, number][] = [];
  private starts?: number[];
  private refs?: (readonly [number, number])[];

  constructor(
    private readonly file: string,
    private readonly text: string,
  ) {}

  tokenShapes(): void {
    if (!MAY_HOLD_TOKEN.test(this.text)) return;
    for (const shape of TOKEN_SHAPES) {
      const pattern = new RegExp(shape.pattern.source, `${shape.pattern.flags.replace('d', '')}d`);
      for (const match of this.text.matchAll(pattern)) {
        const [from, to] = match.indices![shape.group ?? 0]!;
        if (this.inRef(from) || this.overlaps(from, to)) continue;
        this.add(from, to, `looks like ${shape.description}; ${FIX}`);
      }
    }
  }

  secretLikeValues(doc: LoadedDocument): void {
    walk(doc.value, [], (key, kind, value, path) => {
      const secret = credentialPart(value);
      if (isExcused(value) || (kind === 'ambiguous' && !looksRandom(secret))) return;
      const from = this.valueStart(doc, path, value, secret);
      // At least one character, so that a finding inside a token shape's match is not repeated.
      if (this.overlaps(from, from + Math.max(1, secret.length))) return;
      this.add(
        from,
        from + Math.max(1, secret.length),
        kind === 'credential'
          ? `plaintext value under secret-like key "${key}" (not a reference, template or placeholder); ${FIX}`
          : `high-entropy value under secret-like key "${key}" looks like a plaintext secret; ${FIX}`,
      );
    });
  }

  /**
   * Offset of the secret in the text: the value node's start, moved past a quote or a block
   * scalar's indicator line and past an auth scheme when the text there is the value as parsed;
   * else (escapes, folding) the first occurrence of its first line close after the node's start;
   * else the node's start.
   */
  private valueStart(doc: LoadedDocument, path: (string | number)[], value: string, secret: string): number {
    const at = doc.locate(path);
    const nodeStart = this.offset(at.line, at.col);
    const head = secret.split('\n', 1)[0]!.slice(0, 16);
    if (head === '') return nodeStart;
    let start = nodeStart;
    const c = this.text[start];
    if (c === '"' || c === "'") start++;
    else if (c === '|' || c === '>') {
      const eol = this.text.indexOf('\n', start);
      if (eol !== -1) start = eol + 1;
      while (this.text[start] === ' ' || this.text[start] === '\t') start++;
    }
    const candidate = start + (value.length - secret.length);
    if (this.text.startsWith(head, candidate)) return candidate;
    const found = this.text.indexOf(head, nodeStart);
    return found !== -1 && found - nodeStart < 8 + value.length * 2 ? found : nodeStart;
  }

  private inRef(at: number): boolean {
    this.refs ??= [...this.text.matchAll(REF_SPANS)].map((m) => [m.index, m.index + m[0].length] as const);
    return this.refs.some(([from, to]) => at >= from && at < to);
  }

  private overlaps(from: number, to: number): boolean {
    return this.reported.some(([a, b]) => from < b && to > a);
  }

  private add(from: number, to: number, message: string): void {
    this.reported.push([from, to]);
    this.starts ??= lineStarts(this.text);
    this.findings.push({ file: this.file, ...position(this.starts, from), message });
  }

  private offset(line: number, col: number): number {
    this.starts ??= lineStarts(this.text);
    return (this.starts[line - 1] ?? 0) + col - 1;
  }
}

/**
 * Calls `visit` for every string value under a secret-like key (and `{ name: SECRET_LIKE, value }`).
 * `path` is live while walking: `visit` gets a copy.
 */
function walk(
  value: unknown,
  path: (string | number)[],
  visit: (key: string, kind: SecretKeyKind, value: string, path: (string | number)[]) => void,
): void {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      walk(value[i], path, visit);
      path.pop();
    }
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const record = value as Record<string, unknown>;
  if (typeof record.name === 'string' && typeof record.value === 'string') {
    const kind = secretKeyKind(record.name);
    if (kind) visit(record.name, kind, record.value, [...path, 'value']);
  }
  for (const key of Object.keys(record)) {
    const item = record[key];
    if (typeof item === 'string') {
      const kind = secretKeyKind(key);
      if (kind) visit(key, kind, item, [...path, key]);
    } else if (item !== null && typeof item === 'object') {
      path.push(key);
      walk(item, path, visit);
      path.pop();
    }
  }
}
