/**
 * Pure: one hand-made client entry → a ServerSpec, the inverse of build-entry.ts's launch forms:
 * `npx -y pkg@ver` → npm, `uvx pkg==ver` → pypi, `docker run -i --rm [-e NAME]… image:tag` → oci,
 * any other command → `command`, a URL (+ headers) → `remote`. A plaintext secret in the
 * environment (found by find-plaintext.ts, the no-plaintext-secrets policy's judgement) becomes a
 * secret reference `env:<KEY>`; a reference the client resolves itself (`${env:X}`, `${X}`,
 * `{env:X}`, `$X`, `%X%`) becomes `env:X`; a secret header is left out and named; a secret anywhere
 * else (args, URL) refuses the entry. Secret values are never copied anywhere: the result only
 * names where each one must go.
 */
import { findPlaintext } from '../clients/find-plaintext.js';
import type { PackageSource, SecretBinding, ServerSpec } from '../core/resources.js';

export interface AdoptedSpec {
  spec: ServerSpec;
  /** Secrets the user must now provide: the variable, and where the value was found. */
  moved: { variable: string; from: string }[];
  notes: string[];
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** The variable forms clients expand: `${env:X}`, `${X}`, `{env:X}`, `$X`, `$env:X`, `%X%`. */
const ENV_REF =
  /^(?:\$\{(?:env:)?([A-Za-z_]\w*)\}|\{env:([A-Za-z_]\w*)\}|\$(?:env:)?([A-Za-z_]\w*)|%([A-Za-z_]\w*)%)$/;
const ENV_PATH = /^(?:env|environment)\.([A-Za-z_][A-Za-z0-9_]*)$/;
const HEADER_PATH = /^headers(?:\.([A-Za-z_$][\w$-]*)|\[("(?:[^"\\]|\\.)*")\])$/;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
const record = (v: unknown): Record<string, string> => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return {};
  return Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string'));
};

/** `pkg@1.2.3` / `@scope/pkg@1.2.3` → [identifier, version]. */
function splitAt(token: string, sep: '@' | '=='): [string, string] | undefined {
  const i = token.lastIndexOf(sep);
  if (i <= 0) return undefined;
  const id = token.slice(0, i);
  const version = token.slice(i + sep.length);
  return id && version ? [id, version] : undefined;
}

function packageOf(command: string, args: string[]): PackageSource | undefined {
  const bin = command.split(/[\\/]/).pop() ?? command;
  if (bin === 'npx' && (args[0] === '-y' || args[0] === '--yes') && args[1]) {
    const pair = splitAt(args[1], '@');
    if (!pair) return undefined;
    const rest = args.slice(2);
    return {
      registryType: 'npm',
      identifier: pair[0],
      version: pair[1],
      ...(rest.length ? { packageArguments: rest } : {}),
    };
  }
  if (bin === 'uvx' && args[0]) {
    const pair = splitAt(args[0], '==');
    if (!pair) return undefined;
    const rest = args.slice(1);
    return {
      registryType: 'pypi',
      identifier: pair[0],
      version: pair[1],
      ...(rest.length ? { packageArguments: rest } : {}),
    };
  }
  if ((bin === 'docker' || bin === 'podman') && args[0] === 'run') {
    let i = 1;
    while (i < args.length && args[i].startsWith('-')) {
      if (args[i] === '-e') i += 2;
      else if (args[i] === '-i' || args[i] === '--rm') i += 1;
      else return undefined; // other docker flags: keep the command as written
    }
    const image = args[i];
    if (!image) return undefined;
    const digest = image.indexOf('@sha256:');
    const colon = image.lastIndexOf(':');
    const pair: [string, string] | undefined =
      digest > 0
        ? [image.slice(0, digest), image.slice(digest + 1)]
        : colon > image.lastIndexOf('/')
          ? [image.slice(0, colon), image.slice(colon + 1)]
          : undefined;
    if (!pair) return undefined;
    const rest = args.slice(i + 1);
    return {
      registryType: 'oci',
      identifier: pair[0],
      version: pair[1],
      ...(rest.length ? { packageArguments: rest } : {}),
    };
  }
  return undefined;
}

export function entryToSpec(name: string, entry: Record<string, unknown>, where: string): AdoptedSpec {
  const notes: string[] = [];
  const moved: AdoptedSpec['moved'] = [];
  // Plaintext secrets by the policy's judgement (find-plaintext.ts): paths and reasons, never values.
  const secretEnv = new Set<string>();
  const secretHeaders = new Set<string>();
  for (const finding of findPlaintext(entry)) {
    const env = ENV_PATH.exec(finding.path);
    const header = HEADER_PATH.exec(finding.path);
    if (env) secretEnv.add(env[1]!);
    else if (header) secretHeaders.add(header[1] ?? (JSON.parse(header[2]!) as string));
    else {
      throw new Error(
        `${where}: entry "${name}" holds a plaintext secret at ${finding.path} (${finding.reason}); move it into an environment variable by hand, then adopt`,
      );
    }
  }
  const url = str(entry.url) ?? str(entry.serverUrl) ?? str(entry.httpUrl) ?? str(entry.uri);
  const spec: ServerSpec = {} as ServerSpec;
  if (url) {
    const sse = entry.type === 'sse' || entry.transport === 'sse';
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(record(entry.headers))) {
      if (secretHeaders.has(key)) {
        const variable = `${name.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_${key.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`;
        moved.push({ variable, from: `header ${key} of ${where}` });
        notes.push(
          `header ${key} held a secret: it is left out of the Server; configure it in each client from ${variable}`,
        );
      } else headers[key] = value;
    }
    spec.remote = Object.keys(headers).length > 0 ? { url, headers } : { url };
    spec.transport = sse ? 'sse' : 'streamable-http';
    return { spec, moved, notes };
  }
  let command = str(entry.command);
  let args = strings(entry.args);
  if (Array.isArray(entry.command)) {
    const parts = strings(entry.command);
    command = parts[0];
    args = [...parts.slice(1), ...args];
  }
  if (!command) throw new Error(`${where}: entry "${name}" has neither a command nor a URL`);
  const pkg = packageOf(command, args);
  if (pkg) spec.package = pkg;
  else spec.command = args.length > 0 ? { path: command, args } : { path: command };
  spec.transport = 'stdio';
  const env: Record<string, string> = {};
  const secrets: SecretBinding[] = [];
  for (const [key, value] of Object.entries(record(entry.env ?? entry.environment))) {
    const ref = ENV_REF.exec(value);
    if (ref && ENV_NAME.test(key)) {
      secrets.push({ name: key, ref: `env:${ref.slice(1).find(Boolean)}` });
    } else if (secretEnv.has(key)) {
      secrets.push({ name: key, ref: `env:${key}` });
      moved.push({ variable: key, from: `env ${key} of ${where}` });
    } else if (value.includes('${')) {
      notes.push(`env ${key} is a client-specific reference; set it by hand in the Server (env or secrets)`);
    } else env[key] = value;
  }
  if (Object.keys(env).length > 0) spec.env = env;
  if (secrets.length > 0) spec.secrets = secrets;
  return { spec, moved, notes };
}
