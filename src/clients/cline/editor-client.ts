/**
 * The editor family's shared shape: `mcpServers` map entries of `command` / `args` / `env` for
 * stdio and a URL (+ `headers`) for HTTP, differing only in the URL's key, the `type` each
 * transport writes (if any), and how a secret is referenced. A client that expands no variables
 * has no `secretRef`: in reference mode a server with secrets is refused, with the way out
 * (`materializeSecrets: true`) in the message.
 */
import type { SecretBinding, ServerSpec, Transport } from '../../core/resources.js';
import type { DesiredServer } from '../../core/state.js';
import * as build from '../build-entry.js';
import { createJsonClient, type JsonClientSpec } from '../json-client.js';
import type { ClientAdapter, ClientEntry, EntryContext, SecretsMode } from '../types.js';

export interface EditorClientSpec extends Pick<JsonClientSpec, 'id' | 'displayName' | 'scopes' | 'path'> {
  /** Default `mcpServers`. */
  serversKey?: string;
  /** How the client reads a secret from its environment, or absent when it expands nothing. */
  secretRef?: (variable: string) => string;
  /** The key of an HTTP server's URL; default `url`. */
  urlKey?: string;
  /**
   * The `type` each transport writes: a string is written, absent writes none, `null` means the
   * client cannot take that transport (refused with `refusals[transport]` or a generic reason).
   */
  types?: Partial<Record<Transport, string | null>>;
  refusals?: Partial<Record<Transport, string>>;
}

export function noSecretRefs(displayName: string): string {
  return `${displayName} does not expand variable references in its config file: set materializeSecrets: true on the target to write the values (mode 0600)`;
}

export function editorUnsupported(
  spec: EditorClientSpec,
  server: ServerSpec,
  secretsMode: SecretsMode,
): string | undefined {
  if (spec.types?.[server.transport] === null) {
    return spec.refusals?.[server.transport] ?? `${spec.displayName} does not speak ${server.transport}`;
  }
  if (build.hasSecrets(server) && secretsMode === 'reference' && !spec.secretRef)
    return noSecretRefs(spec.displayName);
  return build.commonUnsupported(server);
}

/** The server's entry in this client's shape (secrets as references or, materialized, values). */
export function editorEntry(spec: EditorClientSpec, server: DesiredServer, ctx: EntryContext): ClientEntry {
  const type = spec.types?.[server.spec.transport];
  const typed = typeof type === 'string' ? { type } : {};
  if (build.isHttp(server.spec)) {
    return { ...typed, ...build.urlField(server.spec, ctx, spec.urlKey), ...build.withHeaders(server.spec) };
  }
  // Without secretRef, reference mode with secrets is refused by unsupported(): only values land here.
  const ref = (b: SecretBinding) => (spec.secretRef ?? ((v: string) => v))(build.secretVariable(b));
  return { ...typed, ...build.stdioFields(server, ctx, ref) };
}

export function createEditorClient(spec: EditorClientSpec): ClientAdapter {
  return createJsonClient({
    id: spec.id,
    displayName: spec.displayName,
    scopes: spec.scopes,
    path: spec.path,
    serversKey: spec.serversKey ?? 'mcpServers',
    unsupported: (server, mode) => editorUnsupported(spec, server, mode),
    entryFor: (server, ctx) => editorEntry(spec, server, ctx),
  });
}

/** `${env:NAME}`: Cursor's syntax, which Windsurf, Cline, Roo Code and Kilo Code also expand. */
export const envColonRef = (variable: string): string => `\${env:${variable}}`;
/** `${NAME}`. */
export const dollarBraceRef = (variable: string): string => `\${${variable}}`;
