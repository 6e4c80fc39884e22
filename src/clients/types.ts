/**
 * A client adapter knows one MCP client's config file format: where the file is, how to read and
 * edit its server entries structurally, and how a desired server looks in that client's native
 * syntax (command line, URL form, secret reference syntax). Adapters are pure: the provider does
 * every read and write through the host.
 */
import type { ServerSpec, TargetSpec } from '../core/resources.js';
import type { DesiredServer } from '../core/state.js';

export type ClientId =
  | 'claude-code'
  | 'claude-desktop'
  | 'cursor'
  | 'vscode'
  | 'gemini-cli'
  | 'codex'
  // editor family
  | 'windsurf'
  | 'vscode-insiders'
  | 'cline'
  | 'cline-cli'
  | 'roo-code'
  | 'kilo-code'
  | 'kiro'
  | 'amazon-q'
  | 'trae'
  | 'qoder'
  | 'lm-studio'
  | 'junie'
  | 'opencode'
  | 'kilo'
  | 'zed'
  | 'qwen-code'
  | 'copilot-cli'
  | 'amp'
  | 'crush'
  | 'factory-droid'
  | 'augment'
  | 'kimi'
  | 'antigravity'
  // YAML / TOML list shapes
  | 'continue'
  | 'goose'
  | 'mistral-vibe';

/** `project`: a file under the target's `projectDir`; `user`: a file under the home directory. */
export type ClientScope = 'project' | 'user';

/** `reference`: the client resolves secrets itself; `materialize`: values are written (file mode 0600). */
export type SecretsMode = 'reference' | 'materialize';

/** One server entry as it appears in a client file (plain JSON-compatible data). */
export type ClientEntry = Record<string, unknown>;

/** The text of a client file being edited; every operation keeps it valid and re-reads it. */
export interface ClientDocument {
  /** Where the text came from, for error messages. */
  file: string;
  text: string;
}

export interface EntryContext {
  secretsMode: SecretsMode;
  /** URL of a streamable-http / sse server (`remote.url`, or where a process target runs it). */
  endpointUrl?: string;
  /** Secret values by binding name; only with `materialize`. */
  values?: Record<string, string>;
}

export interface PathContext {
  home: string;
  /** The target host's platform (`linux`, `darwin`); default `linux`. */
  platform?: NodeJS.Platform;
}

/**
 * Cells of this client's row in the table of src/clients/README.md, where the text computed from
 * the adapter (scripts/gen-client-table.ts: its paths per OS and scope, the file's syntax, the
 * servers key, the entry shapes and the secret syntax) needs saying otherwise. Markdown.
 */
export interface ClientTableCells {
  files?: string;
  syntax?: string;
  key?: string;
  stdio?: string;
  http?: string;
  secret?: string;
}

export interface ClientAdapter {
  readonly id: ClientId;
  readonly displayName: string;
  /** Overrides for the generated README row (optional; see ClientTableCells). */
  readonly table?: ClientTableCells;
  /** Scopes this client has a file for; a `project`-only client needs `projectDir`. */
  readonly scopes: readonly ClientScope[];
  /** Absolute path of the file this target's entries go to (project scope when `projectDir` is set and supported). */
  path(target: Pick<TargetSpec, 'projectDir'>, ctx: PathContext): string;
  /**
   * Where a client that moved or renamed its file may keep it, in order of preference: the
   * provider uses the first that exists on the host, else the first (resolveClientPath). Without
   * it, `path()` is the one file.
   */
  candidatePaths?(target: Pick<TargetSpec, 'projectDir'>, ctx: PathContext): string[];
  /**
   * Files or folders whose existence on a host means the client is installed (any one is enough).
   * Without it, src/clients/detect.ts derives one from the user-scope `path()`.
   */
  detect?(ctx: PathContext): string[];
  /** Parse a file's text (undefined or blank = no file yet). Throws ERR_IO naming the file on bad syntax. */
  parse(text: string | undefined, file: string): ClientDocument;
  readEntries(doc: ClientDocument): Record<string, ClientEntry>;
  writeEntry(doc: ClientDocument, name: string, entry: ClientEntry): void;
  removeEntry(doc: ClientDocument, name: string): void;
  serialize(doc: ClientDocument): string;
  /** Why this client cannot register the server in this mode, or undefined when it can. */
  unsupported(server: ServerSpec, secretsMode: SecretsMode): string | undefined;
  /** The server's entry in the client's native syntax. */
  entryFor(server: DesiredServer, ctx: EntryContext): ClientEntry;
}
