/**
 * The entry shape most `mcpServers`-style clients share, with their small differences as data: a
 * stdio server is `{ command, args, env }`, a remote one `{ url, headers }`, optionally with a
 * `type` per transport, another URL key, or fixed fields (Copilot's `tools`, Zed's `source`).
 * Clients that expand no variable reference in their file refuse secrets in reference mode.
 */
import type { SecretBinding, ServerSpec, Transport } from '../core/resources.js';
import type { DesiredServer } from '../core/state.js';
import {
  commonUnsupported,
  hasSecrets,
  isHttp,
  secretVariable,
  stdioFields,
  urlField,
  withHeaders,
} from './build-entry.js';
import type { ClientEntry, EntryContext, SecretsMode } from './types.js';

export interface PlainEntryShape {
  /** A secret in `env` in reference mode (unused by clients that refuse reference mode). */
  ref: (binding: SecretBinding) => string;
  /** The `type` value per transport, where the client wants one. */
  types?: Partial<Record<Transport, string>>;
  /** The key of a remote server's URL (default `url`). */
  urlKey?: string;
  /** Fields every entry of this client carries. */
  fixed?: ClientEntry;
  /** A field of remote entries naming the transport (Kimi's `transport`), with its values. */
  transportField?: { key: string; values: Partial<Record<Transport, string>> };
}

/** `${VAR}`, the reference most clients expand. */
export const bracedRef = (binding: SecretBinding): string => `\${${secretVariable(binding)}}`;

export function plainEntry(server: DesiredServer, ctx: EntryContext, shape: PlainEntryShape): ClientEntry {
  const spec = server.spec;
  const type = shape.types?.[spec.transport];
  const head: ClientEntry = { ...(type ? { type } : {}), ...shape.fixed };
  if (!isHttp(spec)) return { ...head, ...stdioFields(server, ctx, shape.ref) };
  const named = shape.transportField?.values[spec.transport];
  return {
    ...head,
    ...(named && shape.transportField ? { [shape.transportField.key]: named } : {}),
    ...urlField(spec, ctx, shape.urlKey),
    ...withHeaders(spec),
  };
}

/** For a client that expands no reference in its file: secrets only as values (materializeSecrets). */
export function unsupportedWithoutSecretSyntax(displayName: string) {
  return (server: ServerSpec, secretsMode: SecretsMode): string | undefined => {
    if (hasSecrets(server) && secretsMode === 'reference') {
      return `${displayName} does not expand variable references in its config file: set materializeSecrets: true on the target to write the values (mode 0600)`;
    }
    return commonUnsupported(server);
  };
}
