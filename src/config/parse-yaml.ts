/**
 * Fast-path YAML parsing with js-yaml (YAML 1.2 core schema). Positions are not computed here:
 * `locate-node.ts` computes them lazily, only for files that need a diagnostic.
 *
 * Aliases are refused outright (`maxAliases: 0`), anchors alone are harmless. A small alias
 * budget would not be safe: js-yaml resolves aliases by reference, so 9 levels of 10 aliases each
 * (90 aliases) make a DAG that explodes to 10^9 nodes as soon as validation or a policy walks it.
 * Config that people review in pull requests should say what it means where it says it anyway;
 * environments have `overrides` for sharing.
 *
 * Nesting is capped at MAX_NESTING levels while parsing (js-yaml's `maxDepth`, checked as each
 * node opens: `a: [[[[…` half a million deep fails at its 100th bracket in under a millisecond).
 * Uncapped, js-yaml parses 1,000 levels and overflows its stack at 10,000, and every later stage
 * (schemas, templates, policies, secret scanning, resolve) walks values recursively. js-yaml 5
 * defaults to 100 too; it is set here so that no upgrade can drop it, and reported as its own rule.
 * No real config comes near: a policy `assert`, the deepest thing people write, is ~15 levels.
 */
import type { Diagnostic } from '../core/diagnostics.js';
import { jsYamlFor } from './js-yaml.js';

/** How deep nodes may nest: a document's top mapping is level 1, each value inside it one more. */
export const MAX_NESTING = 100;

export type ParseResult = { ok: true; documents: unknown[] } | { ok: false; diagnostic: Diagnostic };

const KEY_AT = /^(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)'|([^:#\s][^:#\n]*?))\s*:/;

function ruleFor(reason: string): string {
  if (reason.startsWith('duplicated mapping key')) return 'duplicate-key';
  if (reason.includes('maxAliases')) return 'yaml-alias';
  if (reason.includes('maxDepth')) return 'yaml-nesting';
  return 'yaml-syntax';
}

function messageFor(rule: string, reason: string, text: string, position: number): string {
  if (rule === 'duplicate-key') {
    const m = KEY_AT.exec(text.slice(position, position + 200));
    const key = m ? (m[1] ?? m[2] ?? m[3] ?? '').trim() : undefined;
    return key === undefined
      ? 'duplicate key in mapping: each key may appear once'
      : `duplicate key "${key}": each key may appear once in a mapping`;
  }
  if (rule === 'yaml-alias') {
    return 'YAML aliases (*name) are not allowed: write the value out (aliases hide what a resource says and allow alias bombs)';
  }
  if (rule === 'yaml-nesting') {
    return `YAML nested deeper than ${MAX_NESTING} levels: flatten it (deeper values are refused so that no later check can run out of stack)`;
  }
  return `invalid YAML: ${reason}`;
}

export function parseYaml(file: string, text: string): ParseResult {
  // The copy that parses the text is the one whose YAMLException it throws.
  const { parseEvents, constructFromEvents, YAMLException } = jsYamlFor(text);
  try {
    // What loadAll does, called directly: loadAll merges its options into defaults, picks the
    // parser's and the constructor's out again and spreads each, per file (10,000 at scale).
    const events = parseEvents(text, { filename: file, maxDepth: MAX_NESTING });
    return {
      ok: true,
      documents: constructFromEvents(events, { source: text, filename: file, maxAliases: 0 }),
    };
  } catch (err) {
    if (!(err instanceof YAMLException)) {
      const message = err instanceof Error ? err.message : String(err);
      return {
        ok: false,
        diagnostic: {
          file,
          line: 1,
          col: 1,
          severity: 'error',
          message: `invalid YAML: ${message}`,
          rule: 'yaml-syntax',
        },
      };
    }
    const reason = err.reason ?? err.message;
    const rule = ruleFor(reason);
    let position = err.mark?.position ?? 0;
    let line = (err.mark?.line ?? 0) + 1;
    let col = (err.mark?.column ?? 0) + 1;
    // js-yaml marks the alias name; point at its `*` instead.
    if (rule === 'yaml-alias' && position > 0 && text[position - 1] === '*' && col > 1) {
      position -= 1;
      col -= 1;
    }
    if (line < 1) line = 1;
    return {
      ok: false,
      diagnostic: {
        file,
        line,
        col,
        severity: 'error',
        message: messageFor(rule, reason, text, position),
        rule,
      },
    };
  }
}
