/**
 * Scans a whole ToolSurface: every tool's name, title, description, `annotations.title`, and the
 * `title`/`description` strings inside its input and output schemas (where poisoned parameter
 * descriptions hide), then the server's instructions, prompt names and template URIs. At most
 * MAX_FINDINGS_PER_TOOL findings per tool and for the rest of the surface; the schema walk is
 * bounded in depth and in nodes, so a hostile schema cannot make it slow.
 */

import type { ToolSurface } from '../types.js';
import { scanText } from './scan-text.js';
import type { HygieneFinding, TextPlace } from './types.js';
import { MAX_FINDINGS_PER_TOOL } from './types.js';

export interface HygieneReport {
  findings: HygieneFinding[];
  /** Tools (or `instructions` for the rest of the surface) whose findings were cut at the cap. */
  truncated: string[];
}

const SCHEMA_DEPTH = 32;
const SCHEMA_NODES = 5_000;
const SCHEMA_TEXT_KEYS = new Set(['description', 'title']);

type Path = (string | number)[];

/** `title`/`description` strings in a JSON Schema, with their paths, depth- and node-bounded. */
function schemaTexts(schema: unknown, base: Path): { path: Path; text: string }[] {
  const out: { path: Path; text: string }[] = [];
  let nodes = 0;
  const walk = (value: unknown, path: Path, depth: number) => {
    if (depth > SCHEMA_DEPTH || nodes >= SCHEMA_NODES || value === null || typeof value !== 'object') return;
    nodes++;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) walk(value[i], [...path, i], depth + 1);
      return;
    }
    for (const [key, child] of Object.entries(value)) {
      if (typeof child === 'string') {
        if (SCHEMA_TEXT_KEYS.has(key)) out.push({ path: [...path, key], text: child });
      } else {
        walk(child, [...path, key], depth + 1);
      }
    }
  };
  walk(schema, base, 0);
  return out;
}

function fieldName(path: Path): string {
  return path.slice(2).join('.');
}

export function scanSurface(server: string, surface: ToolSurface): HygieneReport {
  const findings: HygieneFinding[] = [];
  const truncated: string[] = [];
  const tools = Array.isArray(surface.tools) ? surface.tools : [];
  tools.forEach((tool, i) => {
    if (!tool || typeof tool !== 'object') return;
    const name = typeof tool.name === 'string' ? tool.name : String(i);
    const texts: { path: Path; text: string }[] = [];
    for (const key of ['name', 'title', 'description'] as const) {
      const text = tool[key];
      if (typeof text === 'string') texts.push({ path: ['tools', i, key], text });
    }
    const annotationTitle = tool.annotations?.title;
    if (typeof annotationTitle === 'string')
      texts.push({ path: ['tools', i, 'annotations', 'title'], text: annotationTitle });
    texts.push(...schemaTexts(tool.inputSchema, ['tools', i, 'inputSchema']));
    texts.push(...schemaTexts(tool.outputSchema, ['tools', i, 'outputSchema']));
    if (collect(findings, texts, (path) => ({ server, tool: name, field: fieldName(path), path })))
      truncated.push(name);
  });
  const rest: { path: Path; text: string }[] = [];
  if (typeof surface.instructions === 'string')
    rest.push({ path: ['instructions'], text: surface.instructions });
  (Array.isArray(surface.prompts) ? surface.prompts : []).forEach((p, i) => {
    if (typeof p === 'string') rest.push({ path: ['prompts', i], text: p });
  });
  (Array.isArray(surface.resourceTemplates) ? surface.resourceTemplates : []).forEach((t, i) => {
    if (typeof t === 'string') rest.push({ path: ['resourceTemplates', i], text: t });
  });
  if (collect(findings, rest, (path) => ({ server, field: path.join('.'), path })))
    truncated.push('instructions');
  return { findings, truncated };
}

/** Scans texts into `findings` up to the per-tool cap; true when the cap cut findings off. */
function collect(
  findings: HygieneFinding[],
  texts: { path: Path; text: string }[],
  place: (path: Path) => TextPlace,
): boolean {
  let budget = MAX_FINDINGS_PER_TOOL;
  for (let i = 0; i < texts.length; i++) {
    const { path, text } = texts[i]!;
    // One more than the budget tells whether anything was cut.
    const found = scanText(place(path), text, budget + 1);
    findings.push(...found.slice(0, budget));
    if (found.length > budget) return true;
    budget -= found.length;
    if (budget === 0) return texts.slice(i + 1).some((t) => scanText(place(t.path), t.text, 1).length > 0);
  }
  return false;
}
