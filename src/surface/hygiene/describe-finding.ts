/**
 * One finding in one line of words, for validate's diagnostics and plan's output:
 * `hidden-unicode: tool "add" description, character 13: 1 zero-width character (U+200B): "…"`.
 * The tool name comes from the server, so it is escaped and cut like an excerpt.
 */
import { escapeText } from './excerpt.js';
import type { HygieneFinding } from './types.js';

const NAME_MAX = 64;

function safeName(name: string): string {
  const escaped = escapeText(name.length > NAME_MAX ? name.slice(0, NAME_MAX) : name);
  return escaped.length > NAME_MAX ? `${escaped.slice(0, NAME_MAX - 1)}…` : escaped;
}

export function describeFinding(f: HygieneFinding): string {
  const where = f.tool === undefined ? f.field : `tool "${safeName(f.tool)}" ${safeName(f.field)}`;
  return `${f.rule}: ${where}, character ${f.offset}: ${f.detail}: "${f.excerpt}"`;
}
