/**
 * Goose: `~/.config/goose/config.yaml` (Windows: `%APPDATA%\Block\goose\config\config.yaml`),
 * `extensions:` a YAML map of entries in Goose's own fields: `{enabled, name, description, timeout,
 * type: stdio, cmd, args, envs, env_keys}` or `{…, type: streamable_http, uri, headers}`. Goose does not
 * expand variables in `envs`; a secret in reference mode is named in `env_keys`, which Goose reads
 * from its environment (or its keyring) by that name, so the binding must be named like the
 * variable its `env:` ref reads. The user's comments and other keys are kept (yaml-client.ts).
 */
import * as path from 'node:path';
import {
  commonUnsupported,
  endpointUrl,
  entryEnv,
  isHttp,
  launchFields,
  secretVariable,
  withHeaders,
} from '../build-entry.js';
import { createYamlClient } from '../yaml-client.js';

/** Goose's default extension timeout, in seconds. */
const TIMEOUT = 300;

export const goose = createYamlClient({
  id: 'goose',
  displayName: 'Goose',
  scopes: ['user'],
  serversKey: 'extensions',
  layout: 'map',
  path(_target, ctx) {
    if (ctx.platform === 'win32')
      return path.join(ctx.home, 'AppData', 'Roaming', 'Block', 'goose', 'config', 'config.yaml');
    return path.join(ctx.home, '.config', 'goose', 'config.yaml');
  },
  unsupported(server, secretsMode) {
    if (server.transport === 'sse')
      return 'Goose no longer supports SSE extensions (it keeps `type: sse` only to read old files): use streamable-http';
    if (secretsMode === 'reference') {
      const renamed = (server.secrets ?? []).find((b) => secretVariable(b) !== b.name);
      if (renamed)
        return `Goose reads an extension's secrets (env_keys) from its environment or keyring by name: secret ${renamed.name} reads ${renamed.ref}; name the binding like the variable, or set materializeSecrets: true on the target`;
    }
    return commonUnsupported(server);
  },
  entryFor(server, ctx) {
    const spec = server.spec;
    // Goose's streamable_http entry requires `description`; `timeout` is what new entries carry.
    const base = { enabled: true, name: server.name, description: spec.description ?? '', timeout: TIMEOUT };
    if (isHttp(spec)) {
      const url = endpointUrl(spec, ctx);
      return { ...base, type: 'streamable_http', ...(url ? { uri: url } : {}), ...withHeaders(spec) };
    }
    const materialize = ctx.secretsMode === 'materialize';
    const envs = materialize ? entryEnv(server, ctx, (b) => b.name) : { ...(spec.env ?? {}) };
    const keys = materialize ? [] : (spec.secrets ?? []).map((b) => b.name);
    const { command, args } = launchFields(spec);
    return {
      ...base,
      type: 'stdio',
      ...(command ? { cmd: command } : {}),
      args: args ?? [],
      ...(Object.keys(envs).length > 0 ? { envs } : {}),
      ...(keys.length > 0 ? { env_keys: keys } : {}),
    };
  },
});
