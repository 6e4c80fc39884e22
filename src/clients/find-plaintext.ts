/**
 * Plaintext secrets in one MCP client entry (the `no-plaintext-secrets` policy's judgement, applied
 * to a client file's entry instead of a YAML document): entry → findings, each naming the key path
 * (`env.GITHUB_TOKEN`, `headers.Authorization`, `args[3]`) and what it looks like, NEVER the value
 * or any part of it. Pure: `drift`/`plan` run it on the user's own entries of a client-config
 * target, `adopt` on the entries it takes over.
 *
 * A string value is a finding when
 * - it holds a known credential shape (token-shapes.ts: `ghp_…`, `sk-…`, `AKIA…`, a JWT, a URL with
 *   a password) outside a `${…}` / `{{…}}` reference; or
 * - it is under a key that names a credential (secret-like-key.ts: `*_TOKEN`, `*_API_KEY`,
 *   `Authorization`) and is not a reference, template or placeholder (secret-value.ts), or under an
 *   ambiguous key (`OPENAI_KEY`, `AUTH`) and looks random (shannon-entropy.ts).
 * The "key" of a value is its object key; `{ name, value }` pairs (env lists); in `args`, the flag
 * before it (`--api-key VALUE`) or in it (`--token=VALUE`), or a `Name: value` header
 * (`--header "Authorization: Bearer …"`); in a URL, a query parameter (`?api_key=…`).
 * Besides the policy's references, the variable forms clients expand are excused: `{env:VAR}`
 * (OpenCode, Kilo), `$VAR`, `$env:VAR`, `%VAR%`.
 */
import { type SecretKeyKind, secretKeyKind } from '../policy/secret-like-key.js';
import { credentialPart, isExcused } from '../policy/secret-value.js';
import { looksRandom } from '../policy/shannon-entropy.js';
import { TOKEN_SHAPES } from '../policy/token-shapes.js';

export interface PlaintextFinding {
  /** Where in the entry: `env.GITHUB_TOKEN`, `headers.Authorization`, `args[3]`, `url`. */
  path: string;
  /** What it looks like, without the value: `looks like a GitHub personal access token (ghp_)`. */
  reason: string;
}

const REF_SPANS = /\$\{[^}\n]*\}|\{\{[\s\S]*?\}\}|\{env:[^}\n]*\}/g;
const CLIENT_VARIABLE = /^(?:\{env:[A-Za-z_][\w.-]*\}|\$(?:env:)?[A-Za-z_]\w*|%[A-Za-z_]\w*%)$/;
const FLAG = /^--?([A-Za-z][\w-]*)$/;
const FLAG_WITH_VALUE = /^--?([A-Za-z][\w-]*)=([\s\S]*)$/;
const HEADER = /^([A-Za-z][\w-]*)\s*:\s*(\S[\s\S]*)$/;

/** The entry's plaintext secrets, in the entry's order; `[]` when it holds none. */
export function findPlaintext(entry: unknown): PlaintextFinding[] {
  const findings: PlaintextFinding[] = [];
  walk(entry, '', undefined, findings);
  return findings;
}

/** True when a value is acceptable under a secret-like key: a reference, template, placeholder or client variable. */
export function isClientReference(value: string): boolean {
  return isExcused(value) || CLIENT_VARIABLE.test(credentialPart(value.trim()).trim());
}

function walk(value: unknown, path: string, key: string | undefined, out: PlaintextFinding[]): void {
  if (typeof value === 'string') {
    judge(value, path, key, out);
    return;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      const at = `${path}[${i}]`;
      if (typeof item !== 'string') {
        walk(item, at, undefined, out);
        continue;
      }
      // `--token VALUE`: the flag names the value after it.
      const flag =
        i > 0 && typeof value[i - 1] === 'string' && !item.startsWith('-')
          ? FLAG.exec(value[i - 1] as string)
          : null;
      judgeArg(item, at, flag?.[1], out);
    }
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const record = value as Record<string, unknown>;
  if (typeof record.name === 'string' && typeof record.value === 'string') {
    judge(record.value, join(path, 'value'), record.name, out, true);
  }
  for (const [k, item] of Object.entries(record)) {
    if (k === 'value' && typeof record.name === 'string' && typeof item === 'string') continue;
    walk(item, join(path, k), k, out);
  }
}

function judgeArg(arg: string, path: string, flag: string | undefined, out: PlaintextFinding[]): void {
  const withValue = FLAG_WITH_VALUE.exec(arg);
  const header = HEADER.exec(arg);
  if (withValue && secretKeyKind(withValue[1]!)) judge(withValue[2]!, path, withValue[1], out);
  else if (header && secretKeyKind(header[1]!)) judge(header[2]!, path, header[1], out);
  else judge(arg, path, flag, out);
}

function judge(
  value: string,
  path: string,
  key: string | undefined,
  out: PlaintextFinding[],
  forced = false,
): void {
  const shape = tokenShape(value);
  if (shape) {
    out.push({ path, reason: `looks like ${shape}` });
    return;
  }
  const kind: SecretKeyKind | undefined = key === undefined ? undefined : secretKeyKind(key);
  if (kind && !isClientReference(value)) {
    if (kind === 'credential') {
      out.push({
        path,
        reason: `plaintext value under secret-like ${forced ? 'name' : 'key'} ${JSON.stringify(key)} (not a reference or placeholder)`,
      });
      return;
    }
    if (looksRandom(credentialPart(value))) {
      out.push({ path, reason: `high-entropy value under secret-like key ${JSON.stringify(key)}` });
      return;
    }
  }
  const query = urlQuerySecret(value);
  if (query)
    out.push({ path, reason: `URL query parameter ${JSON.stringify(query)} holds a plaintext secret` });
}

/** The description of the first credential shape in `value` outside a reference span. */
function tokenShape(value: string): string | undefined {
  const refs = [...value.matchAll(REF_SPANS)].map((m) => [m.index, m.index + m[0].length] as const);
  for (const shape of TOKEN_SHAPES) {
    const pattern = new RegExp(shape.pattern.source, `${shape.pattern.flags.replace(/[dg]/g, '')}dg`);
    for (const match of value.matchAll(pattern)) {
      const [from] = match.indices![shape.group ?? 0]!;
      if (!refs.some(([a, b]) => from >= a && from < b)) return shape.description;
    }
  }
  return undefined;
}

/** The name of a credential-named query parameter with a plaintext value (`?api_key=…`). */
function urlQuerySecret(value: string): string | undefined {
  if (!/^[a-z][a-z0-9+.-]*:\/\/[^?\s]*\?/i.test(value)) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  for (const [name, v] of url.searchParams) {
    if (secretKeyKind(name) === 'credential' && !isClientReference(v)) return name;
  }
  return undefined;
}

function join(path: string, key: string): string {
  const part = /^[A-Za-z_$][\w$-]*$/.test(key) ? key : JSON.stringify(key);
  if (path === '') return part.startsWith('"') ? `[${part}]` : part;
  return part.startsWith('"') ? `${path}[${part}]` : `${path}.${part}`;
}
