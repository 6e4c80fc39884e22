/**
 * Reads a registry `server.json`: strict JSON first, then the fields import uses are checked
 * against `serverJsonSchema`; every problem becomes `FILE:LINE:COL: error: PATH: MESSAGE [import]`.
 */
import * as fs from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { LineCounter, parseDocument } from 'yaml';
import { type Diagnostic, formatDiagnostic } from '../core/diagnostics.js';
import { McpGitopsError } from '../core/errors.js';
import { type ServerJson, serverJsonSchema } from './server-json.js';

const ajv = new Ajv2020({ allErrors: true, strict: false });
const check = ajv.compile<ServerJson>(serverJsonSchema);

function fail(diags: Diagnostic[], file: string): never {
  throw new McpGitopsError('ERR_USAGE', `${file} is not a usable MCP registry server.json`, {
    details: diags.map(formatDiagnostic),
    hint: 'see https://github.com/modelcontextprotocol/registry/tree/main/docs/reference/server-json',
  });
}

function lineCol(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, col: lines[lines.length - 1].length + 1 };
}

function jsonPath(pointer: string): string {
  const parts = pointer.split('/').slice(1);
  let out = '';
  for (const p of parts) out += /^\d+$/.test(p) ? `[${p}]` : out ? `.${p}` : p;
  return out || '(root)';
}

export function parseServerJson(text: string, file: string): ServerJson {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    const at = /position (\d+)/.exec(message);
    const pos = at ? lineCol(text, Number(at[1])) : { line: 1, col: 1 };
    fail([{ file, ...pos, severity: 'error', message: `invalid JSON: ${message}`, rule: 'import' }], file);
  }
  if (check(data)) return data;
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, keepSourceTokens: false });
  const seen = new Set<string>();
  const diags: Diagnostic[] = [];
  for (const e of check.errors ?? []) {
    if (e.keyword === 'if') continue;
    const keys = e.instancePath
      .split('/')
      .slice(1)
      .map((k) => (/^\d+$/.test(k) ? Number(k) : k.replace(/~1/g, '/').replace(/~0/g, '~')));
    const node = keys.length === 0 ? doc.contents : doc.getIn(keys, true);
    const offset = (node as { range?: [number, number] } | null)?.range?.[0] ?? 0;
    const pos = counter.linePos(offset);
    const message = `${jsonPath(e.instancePath)}: ${e.message ?? 'is invalid'}${
      e.keyword === 'enum' ? ` (${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')})` : ''
    }`;
    if (seen.has(message)) continue;
    seen.add(message);
    diags.push({ file, line: pos.line, col: pos.col, severity: 'error', message, rule: 'import' });
  }
  fail(diags, file);
}

export function readServerJson(file: string): ServerJson {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new McpGitopsError('ERR_IO', `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? err}`, {
      hint: 'give the path of a server.json file from the MCP registry',
    });
  }
  return parseServerJson(text, file);
}
