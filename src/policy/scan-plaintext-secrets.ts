/**
 * The `no-plaintext-secrets` scanner: known credential shapes anywhere in the text of every YAML
 * file of the repo (values, keys, comments), plus high-entropy values under secret-like keys.
 * Values that are references (`env:`, `file:`, `${…}`, `{{…}}`) are not secrets. A finding says
 * which shape it looks like and where, and never repeats the value.
 */
import { isMap, isScalar, parseAllDocuments, type Scalar, visit } from 'yaml';
import type { SourceFile } from '../core/config-set.js';
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

export function scanPlaintextSecrets(files: readonly SourceFile[]): SecretFinding[] {
  return files.filter((f) => isYamlFile(f.path)).flatMap((f) => scanFile(f.path, f.text));
}

export function scanFile(file: string, text: string): SecretFinding[] {
  const starts = lineStarts(text);
  const findings: SecretFinding[] = [];
  const reported: [number, number][] = [];
  const refs = [...text.matchAll(REF_SPANS)].map((m) => [m.index, m.index + m[0].length] as const);
  const inRef = (at: number) => refs.some(([from, to]) => at >= from && at < to);
  const overlaps = (from: number, to: number) => reported.some(([a, b]) => from < b && to > a);
  const add = (from: number, to: number, message: string) => {
    reported.push([from, to]);
    findings.push({ file, ...position(starts, from), message });
  };

  for (const shape of TOKEN_SHAPES) {
    const pattern = new RegExp(shape.pattern.source, `${shape.pattern.flags.replace('d', '')}d`);
    for (const match of text.matchAll(pattern)) {
      const [from, to] = match.indices![shape.group ?? 0]!;
      if (inRef(from) || overlaps(from, to)) continue;
      add(from, to, `looks like ${shape.description}; ${FIX}`);
    }
  }

  const lowEntropyCandidates = (key: string, value: Scalar, docText: string) => {
    if (typeof value.value !== 'string' || !value.range) return;
    const raw = value.value;
    if (isReference(raw)) return;
    const secret = raw.replace(AUTH_SCHEME, '');
    if (!looksRandom(secret)) return;
    const [start, end] = value.range;
    const found = docText.indexOf(secret.slice(0, 16), start);
    const from = found !== -1 && found < end ? found : start;
    if (overlaps(from, from + secret.length)) return;
    add(
      from,
      from + secret.length,
      `high-entropy value under secret-like key "${key}" looks like a plaintext secret; ${FIX}`,
    );
  };

  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) continue;
    visit(doc, {
      Pair(_, pair) {
        if (!isScalar(pair.key) || !isScalar(pair.value)) return;
        const key = String(pair.key.value);
        if (isSecretLikeKey(key)) lowEntropyCandidates(key, pair.value, text);
      },
      Map(_, map) {
        // `{ name: API_TOKEN, value: ... }` (Kubernetes-style env lists)
        const name = map.get('name', true);
        const value = map.get('value', true);
        if (
          isMap(map) &&
          isScalar(name) &&
          isScalar(value) &&
          typeof name.value === 'string' &&
          isSecretLikeKey(name.value)
        ) {
          lowEntropyCandidates(name.value, value, text);
        }
      },
    });
  }
  return findings.sort((a, b) => a.line - b.line || a.col - b.col);
}
