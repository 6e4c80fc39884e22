/**
 * What `tools show` prints. A description is text from the target, written by whoever publishes
 * the server: it is shown, never obeyed by the terminal. Every control, format or otherwise
 * invisible character (ESC sequences, zero-width and bidi characters, Unicode tags) is shown as
 * `\u{...}`, so nothing can move the cursor, recolour the screen or hide between the lines.
 * Secret values are redacted (a server may echo what it was started with). Pure: text in, text out.
 */
import { redactor } from '../../log/redact.js';
import type { LockComparison } from '../../surface/lock/compare-lock.js';
import type { ServerIdentity, ToolSurface } from '../../surface/types.js';

const INVISIBLE = /[^\P{C}\n]|[\p{Zl}\p{Zp}]|[^\P{Zs} ]/gu;

/** Redacted, with every invisible character but the newline written as `\u{HEX}`. */
export function escapeText(text: string): string {
  return redactor
    .redact(text)
    .replace(INVISIBLE, (ch) => `\\u{${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase()}}`);
}

/** Redacted, escaped, and on one line (newlines as `\n`): for names and one-line fields. */
export function escapeLine(text: string): string {
  return escapeText(text).replace(/\n/g, '\\n');
}

export interface ShowInput {
  server: string;
  version: string;
  environment: string;
  target: string;
  surface: ToolSurface;
  identity?: ServerIdentity;
  lock?: { file: string; comparison: LockComparison };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The lock verdict in one line: matches, or what differs by name. */
export function lockLine(server: string, environment: string, lock: ShowInput['lock']): string {
  if (!lock) return `lock: none (write one: mcp-gitops tools lock ${server} --env ${environment})`;
  const c = lock.comparison;
  if (c.matches) return `lock: ${lock.file}: matches`;
  const parts: string[] = [];
  if (c.changed.length) parts.push(`changed ${c.changed.map(escapeLine).join(', ')}`);
  if (c.added.length) parts.push(`added ${c.added.map(escapeLine).join(', ')}`);
  if (c.removed.length) parts.push(`removed ${c.removed.map(escapeLine).join(', ')}`);
  if (c.other.length) parts.push(`${c.other.join(', ')} changed`);
  return `lock: ${lock.file}: DIFFERS: ${parts.join('; ') || 'fingerprint'}`;
}

function indented(text: string, pad: string): string[] {
  return escapeText(text)
    .split('\n')
    .map((line) => (line === '' ? '' : `${pad}${line}`));
}

function hints(annotations: Record<string, unknown> | undefined): string {
  if (!annotations) return '';
  const flags = ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint']
    .filter((k) => typeof annotations[k] === 'boolean')
    .map((k) => `${k.replace(/Hint$/, '')}=${annotations[k]}`);
  return flags.length ? ` [${flags.join(' ')}]` : '';
}

export function renderShowText(input: ShowInput): string {
  const { surface } = input;
  const out: string[] = [
    `${escapeLine(input.server)} ${escapeLine(input.version)} on ${input.environment}/${input.target} (the first target that runs this version)`,
  ];
  const id = input.identity;
  if (id?.protocolVersion || id?.serverInfo) {
    const info = id.serverInfo
      ? `, server ${escapeLine(id.serverInfo.name)}${id.serverInfo.version ? ` ${escapeLine(id.serverInfo.version)}` : ''}`
      : '';
    out.push(
      `protocol: ${escapeLine(id.protocolVersion ?? 'unknown')}${id.handshake ? ` (${id.handshake})` : ''}${info}`,
    );
  }
  out.push(
    `surface: ${surface.fingerprint}: ${plural(surface.tools.length, 'tool')}, ${plural(surface.prompts.length, 'prompt')}, ${plural(surface.resourceTemplates.length, 'resource template')}`,
    lockLine(input.server, input.environment, input.lock),
  );
  if (surface.instructions !== undefined)
    out.push('', 'instructions:', ...indented(surface.instructions, '    '));
  out.push('', 'tools:');
  for (const tool of surface.tools) {
    const title = tool.title ? ` "${escapeLine(tool.title)}"` : '';
    out.push(
      `  ${escapeLine(tool.name)}${title}${hints(tool.annotations)}  ${tool.fingerprint.slice(0, 19)}`,
    );
    if (tool.description !== undefined) out.push(...indented(tool.description, '    '));
  }
  if (surface.prompts.length) out.push('', `prompts: ${surface.prompts.map(escapeLine).join(', ')}`);
  if (surface.resourceTemplates.length)
    out.push('', `resource templates: ${surface.resourceTemplates.map(escapeLine).join(', ')}`);
  return `${out.join('\n')}\n`;
}

/** JSON for scripts: the whole surface, redacted, with invisible characters as JSON `\u` escapes. */
export function renderShowJson(input: ShowInput): string {
  const json = JSON.stringify(
    {
      server: input.server,
      version: input.version,
      environment: input.environment,
      target: input.target,
      protocol: input.identity ? redactor.redactDeep(input.identity) : null,
      surface: redactor.redactDeep(input.surface),
      lock: input.lock ? { file: input.lock.file, ...input.lock.comparison } : null,
    },
    null,
    2,
  );
  return `${json.replace(INVISIBLE, (ch) => (ch === '\n' ? ch : [...ch].map(u16).join('')))}\n`;
}

function u16(ch: string): string {
  let out = '';
  for (let i = 0; i < ch.length; i++) out += `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`;
  return out;
}
