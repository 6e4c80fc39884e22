/**
 * What the tool-description hygiene scanner reports: text a server hands the model (tool names,
 * titles, descriptions, schema descriptions, the server's instructions) that looks like it is
 * meant for the model rather than for a person reading it — hidden characters, instructions aimed
 * at the model, encoded payloads, obfuscated URLs. Each finding carries a stable rule code, where it
 * is (server, tool, field, JSON path, character offset) and a short escaped excerpt: never more of
 * the text, which is untrusted.
 */

/** Stable codes, in docs and in every finding. */
export type HygieneRule =
  | 'hidden-unicode'
  | 'model-instruction'
  | 'encoded-payload'
  | 'suspicious-url'
  | 'oversized-text';

export const HYGIENE_RULES: readonly HygieneRule[] = [
  'hidden-unicode',
  'model-instruction',
  'encoded-payload',
  'suspicious-url',
  'oversized-text',
];

/** Where a scanned text sits in a ToolSurface. */
export interface TextPlace {
  server: string;
  /** The tool's name; absent for the server's instructions, prompts and templates. */
  tool?: string;
  /** `description`, `title`, `name`, `annotations.title`, `inputSchema.properties.q.description`, `instructions`, ... */
  field: string;
  /** JSON path of the text inside the ToolSurface (`['tools', 3, 'description']`). */
  path: (string | number)[];
}

export interface HygieneFinding extends TextPlace {
  rule: HygieneRule;
  /** Offset of the finding in the text, in Unicode code points (0-based). */
  offset: number;
  /** What was found, in words (never the text itself), e.g. `3 zero-width characters (U+200B)`. */
  detail: string;
  /** At most EXCERPT_MAX characters around the offset, everything outside printable ASCII escaped. */
  excerpt: string;
}

/** Only this much of one text is scanned (UTF-16 units); a longer text is itself a finding. */
export const MAX_SCAN_CHARS = 64 * 1024;
/** At most this many findings per tool (and for the instructions); the rest are counted, not listed. */
export const MAX_FINDINGS_PER_TOOL = 8;
/** Excerpts are at most this many characters, escapes included. */
export const EXCERPT_MAX = 40;
