/**
 * Generates the client table of src/clients/README.md from the registered adapters: each row says
 * what the adapter itself does — its files per scope and OS (with the older names it still finds),
 * the file's syntax, where the servers go, the entry it writes for stdio and for HTTP / SSE, and
 * how a secret is written in reference mode — computed by asking the adapter about sample servers,
 * or taken from its `table` cells where it says otherwise. test/clients/registry.test.ts fails
 * when the README's table is not what this prints.
 *
 *   node --import tsx scripts/gen-client-table.ts          # rewrite the table in the README
 *   node --import tsx scripts/gen-client-table.ts --check  # exit 1 if it is out of date
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as jsonc from 'jsonc-parser';
import { parse as parseToml } from 'smol-toml';
import { parse as parseYaml } from 'yaml';
import { getClient, clientIds } from '../src/clients/registry.js';
import type { ClientAdapter, ClientEntry, ClientTableCells } from '../src/clients/types.js';
import type { ServerSpec } from '../src/core/resources.js';
import type { DesiredServer } from '../src/core/state.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const README = path.join(ROOT, 'src', 'clients', 'README.md');
const START = '<!-- client-table:start (scripts/gen-client-table.ts) -->';
const END = '<!-- client-table:end -->';

const HOME = '/HOME';
const PROJECT = '/PROJECT';
const server = (spec: ServerSpec): DesiredServer => ({ name: 'SERVER', spec, specHash: 'sha256:sample' });
const STDIO = server({ transport: 'stdio', command: { path: 'CMD', args: ['ARG'] }, env: { LEVEL: 'ARG' } });
const SECRET = server({
  transport: 'stdio',
  command: { path: 'CMD', args: ['ARG'] },
  secrets: [{ name: 'VAR', ref: 'env:VAR' }],
});
const HTTP = server({ transport: 'streamable-http', remote: { url: 'https://URL' } });
const SSE = server({ transport: 'sse', remote: { url: 'https://URL' } });
const SAMPLE = /CMD|ARG|URL|SERVER/;

const code = (s: string) => `\`${s}\``;
const shown = (p: string) => p.replace(PROJECT, '<projectDir>').replace(HOME, '~');

function paths(c: ClientAdapter, target: { projectDir?: string }, platform: NodeJS.Platform): string[] {
  const ctx = { home: HOME, platform };
  const candidates = c.candidatePaths?.(target, ctx) ?? [];
  return (candidates.length > 0 ? candidates : [c.path(target, ctx)]).map(shown);
}

const alternatives = (files: string[]) => files.map(code).join(' or ');

function projectFiles(c: ClientAdapter): string {
  return c.scopes.includes('project') ? alternatives(paths(c, { projectDir: PROJECT }, 'linux')) : '—';
}

function userFiles(c: ClientAdapter): string {
  if (!c.scopes.includes('user')) return '— (needs `projectDir`)';
  const linux = paths(c, {}, 'linux');
  const out = [alternatives(linux)];
  for (const [platform, label] of [
    ['darwin', 'macOS'],
    ['win32', 'Windows'],
  ] as const) {
    const other = paths(c, {}, platform);
    if (other.join() !== linux.join()) out.push(`${label}: ${alternatives(other)}`);
  }
  return out.join('; ');
}

function syntaxOf(file: string): 'JSONC' | 'YAML' | 'TOML' {
  if (/\.ya?ml$/.test(file)) return 'YAML';
  if (file.endsWith('.toml')) return 'TOML';
  return 'JSONC';
}

function parseAs(syntax: string, text: string): unknown {
  if (syntax === 'YAML') return parseYaml(text);
  if (syntax === 'TOML') return parseToml(text);
  return jsonc.parse(text, [], { allowTrailingComma: true });
}

/** Where the sample entry landed in a fresh file: the key path, and whether servers are a list. */
function serversKey(c: ClientAdapter, syntax: string, file: string): string {
  const doc = c.parse(undefined, file);
  c.writeEntry(doc, 'SERVER', c.entryFor(STDIO, { secretsMode: 'reference' }));
  const find = (value: unknown, at: string[]): { at: string[]; list: boolean } | undefined => {
    if (Array.isArray(value)) {
      if (value.some((v) => (v as { name?: unknown } | null)?.name === 'SERVER')) return { at, list: true };
      return undefined;
    }
    if (value === null || typeof value !== 'object') return undefined;
    if ('SERVER' in value) return { at, list: false };
    for (const [k, v] of Object.entries(value)) {
      const hit = find(v, [...at, k]);
      if (hit) return hit;
    }
    return undefined;
  };
  const hit = find(parseAs(syntax, c.serialize(doc)), []);
  if (!hit) return '?';
  const key = hit.at.map((k) => (k.includes('.') ? `"${k}"` : k)).join('.');
  if (!hit.list) return code(key);
  return syntax === 'TOML' ? `${code(`[[${key}]]`)}, \`name\`` : `${code(key)} list, \`name\``;
}

/** The entry's fields: constants as `key: value`, the rest by name. */
function fields(entry: ClientEntry, except: ClientEntry = {}): string[] {
  return Object.entries(entry)
    .filter(([k, v]) => JSON.stringify(except[k]) !== JSON.stringify(v))
    .map(([k, v]) => (typeof v === 'string' && v !== '' && !SAMPLE.test(v) ? code(`${k}: ${v}`) : code(k)));
}

function httpCell(c: ClientAdapter): string {
  if (c.unsupported(HTTP.spec, 'reference')) return '— (not in its file)';
  const http = c.entryFor(HTTP, { secretsMode: 'reference' });
  const out = fields(http).join(', ');
  if (c.unsupported(SSE.spec, 'reference')) return `${out}; no SSE`;
  const sse = fields(c.entryFor(SSE, { secretsMode: 'reference' }), http);
  return sse.length > 0 ? `${out}; SSE: ${sse.join(', ')}` : `${out} (SSE alike)`;
}

function secretCell(c: ClientAdapter): string {
  if (c.unsupported(SECRET.spec, 'reference')) return 'none: needs `materializeSecrets: true`';
  const found: string[] = [];
  const walk = (value: unknown, key: string) => {
    if (typeof value === 'string' && value.includes('VAR')) {
      found.push(value === 'VAR' ? `${code(key)} lists \`VAR\` (passed by name)` : code(value));
    } else if (value && typeof value === 'object')
      for (const [k, v] of Object.entries(value)) walk(v, Array.isArray(value) ? key : k);
  };
  walk(c.entryFor(SECRET, { secretsMode: 'reference' }), '');
  return [...new Set(found)].join(', ').replaceAll('SERVER', '<server>') || '?';
}

export function clientRow(c: ClientAdapter): string[] {
  const file = c.scopes.includes('user') ? c.path({}, { home: HOME }) : c.path({ projectDir: PROJECT }, { home: HOME });
  const syntax = syntaxOf(file);
  const cells: Required<ClientTableCells> = {
    files: `${projectFiles(c)} | ${userFiles(c)}`,
    syntax,
    key: serversKey(c, syntax, file),
    stdio: fields(c.entryFor(STDIO, { secretsMode: 'reference' })).join(', '),
    http: httpCell(c),
    secret: secretCell(c),
    ...c.table,
  };
  return [code(c.id), c.displayName, cells.files, cells.syntax, cells.key, cells.stdio, cells.http, cells.secret];
}

export function clientTable(): string {
  const head = ['id', 'client', 'project file', 'user file', 'syntax', 'servers', 'stdio entry', 'HTTP / SSE entry', 'secret (reference mode)'];
  const rows = clientIds().map((id) => clientRow(getClient(id)).join(' | ').split(' | '));
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

/** The README with its table (between the markers) replaced by the generated one. */
export function withTable(readme: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${README}: no ${START} … ${END} markers`);
  return `${readme.slice(0, start)}${START}\n\n${clientTable()}\n\n${readme.slice(end)}`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const current = fs.readFileSync(README, 'utf8');
  const next = withTable(current);
  if (process.argv.includes('--check')) {
    if (current !== next) {
      process.stderr.write('src/clients/README.md: the client table is out of date: run node --import tsx scripts/gen-client-table.ts\n');
      process.exitCode = 1;
    }
  } else {
    fs.writeFileSync(README, next);
    process.stdout.write(`wrote ${path.relative(process.cwd(), README)}\n`);
  }
}
