/**
 * TOML client files: parsed with smol-toml (loaded on first use), edited as text and checked by
 * parsing the result back; when a text edit does not give exactly the expected data (a layout the
 * edits do not handle), the whole file is re-serialized: right data, comments lost.
 */
import { createRequire } from 'node:module';
import type * as SmolToml from 'smol-toml';
import { canonicalJson } from '../core/canonical-json.js';
import { McpGitopsError } from '../core/errors.js';
import type { ClientDocument } from './types.js';

let parser: typeof SmolToml | undefined;

/** smol-toml, loaded on first use: validate only asks adapters pure questions. */
export function toml(): typeof SmolToml {
  parser ??= createRequire(import.meta.url)('smol-toml') as typeof SmolToml;
  return parser;
}

/** The file's data; throws ERR_IO with FILE:LINE:COL when it is not valid TOML. */
export function tomlData(doc: ClientDocument): Record<string, unknown> {
  try {
    return toml().parse(doc.text) as Record<string, unknown>;
  } catch (err) {
    const where = err instanceof toml().TomlError ? `:${err.line}:${err.column}` : '';
    const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new McpGitopsError('ERR_IO', `${doc.file}${where}: not valid TOML (${reason}); left untouched`, {
      hint: 'fix the syntax by hand, then reconcile again',
    });
  }
}

/**
 * `candidate` when it parses (after `normalize`) to exactly `expected`, else `expected` serialized.
 */
export function verifiedToml(
  candidate: string,
  expected: Record<string, unknown>,
  normalize: Normalize = (data) => data,
): string {
  return parsesTo(candidate, expected, normalize) ? candidate : toml().stringify(expected);
}

export type Normalize = (data: Record<string, unknown>) => Record<string, unknown>;

/** Whether `candidate` is TOML that parses (after `normalize`) to exactly `expected`. */
export function parsesTo(
  candidate: string,
  expected: Record<string, unknown>,
  normalize: Normalize,
): boolean {
  try {
    // Through JSON first, so that dates compare by value.
    const plain = (value: unknown) => canonicalJson(JSON.parse(JSON.stringify(value)));
    return plain(normalize(toml().parse(candidate))) === plain(expected);
  } catch {
    return false; // not valid TOML
  }
}

/** A file ends with a newline once it has any text. */
export const serializeToml = (doc: ClientDocument) =>
  doc.text === '' || doc.text.endsWith('\n') ? doc.text : `${doc.text}\n`;
