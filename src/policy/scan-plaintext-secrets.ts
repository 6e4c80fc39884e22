/**
 * The `no-plaintext-secrets` scanner: known credential shapes anywhere in the text of every YAML
 * file of the repo (values, keys, comments), plus high-entropy values under secret-like keys.
 * Values that are references (`env:`, `file:`, `${…}`, `{{…}}`) are not secrets. A finding says
 * which shape it looks like and where, and never repeats the value.
 */
import type { ConfigSet, LoadedDocument } from '../core/config-set.js';
import { isSecretLikeKey } from './secret-like-key.js';
import { looksRandom } from './shannon-entropy.js';
import { TOKEN_SHAPES } from './token-shapes.js';

export interface SecretFinding {
  file: string;
  line: number;
  col: number;
  message: string;
}

const FIX = 'keep the value out of git and reference it (secrets: [{ name: VAR, ref: env:VAR | file:PATH }])';
const REF_PREFIX = /^(?:env|file|sops|vault|k8s):/;
const REF_SPANS = /\$\{[^}\n]*\}|\{\{[\s\S]*?\}\}/g;
const AUTH_SCHEME = /^(?:bearer|basic|token|apikey)\s+/i;
/** Cheap pre-filter: every token shape contains one of these. */
const MAY_HOLD_TOKEN =
  /gh[pousr]_|github_pat_|glpat-|AKIA|ASIA|aws_?secret|AIza|ya29\.|xox[abposr]-|hooks\.slack|_live_|sk-|PRIVATE KEY|eyJ|:\/\/[^\s:@/]+:[^\s@/]+@/i;

export function isYamlFile(path: string): boolean {
  return /\.ya?ml$/i.test(path);
}

export function isReference(value: string): boolean {
  return REF_PREFIX.test(value) || value.includes('${') || value.includes('{{');
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

/** Scans one file's text; `secretLikeValues` adds the entropy check for a parsed document of it. */
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
    walk(doc.value, [], (key, value, path) => {
      if (isReference(value)) return;
      const secret = value.replace(AUTH_SCHEME, '');
      if (!looksRandom(secret)) return;
      const at = doc.locate(path);
      const nodeStart = this.offset(at.line, at.col);
      const found = this.text.indexOf(secret.slice(0, 16), nodeStart);
      const from = found !== -1 && found - nodeStart < 8 + secret.length * 2 ? found : nodeStart;
      if (this.overlaps(from, from + secret.length)) return;
      this.add(
        from,
        from + secret.length,
        `high-entropy value under secret-like key "${key}" looks like a plaintext secret; ${FIX}`,
      );
    });
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
  visit: (key: string, value: string, path: (string | number)[]) => void,
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
  if (typeof record.name === 'string' && typeof record.value === 'string' && isSecretLikeKey(record.name)) {
    visit(record.name, record.value, [...path, 'value']);
  }
  for (const key of Object.keys(record)) {
    const item = record[key];
    if (typeof item === 'string') {
      if (isSecretLikeKey(key)) visit(key, item, [...path, key]);
    } else if (item !== null && typeof item === 'object') {
      path.push(key);
      walk(item, path, visit);
      path.pop();
    }
  }
}
