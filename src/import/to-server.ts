/**
 * Pure: a registry `server.json` → a Server resource. Picks one package (npm, then pypi, then
 * oci, or `--package INDEX`) or else a remote; secret variables become `secrets:` references
 * (`env:NAME`), plain ones with a value become `env`. Everything it could not carry over is a
 * note the YAML shows as a comment.
 */
import { McpGitopsError } from '../core/errors.js';
import {
  API_VERSION,
  type PackageSource,
  type RegistryType,
  type SecretBinding,
  type ServerResource,
  type ServerSpec,
} from '../core/resources.js';
import { argumentTokens, fillPlaceholders, inputValue, type Notes, varName } from './fill-inputs.js';
import type { RegistryKeyValue, RegistryPackage, RegistryRemote, ServerJson } from './server-json.js';

export interface ImportOptions {
  name?: string;
  /** 0-based index into `packages`. */
  packageIndex?: number;
  /** Port for an HTTP package whose URL does not say one. */
  port?: number;
  /** Tools verification must find after the handshake (health.expectTools). */
  expectTools?: string[];
}

export interface ImportResult {
  resource: ServerResource;
  /** What the user still has to do or decide; rendered as comments. */
  notes: string[];
  /** Which part of server.json was used, e.g. `packages[0]` or `remotes[0]`. */
  source: string;
}

const SUPPORTED: readonly RegistryType[] = ['npm', 'pypi', 'oci'];
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Key order of the generated spec, as people read it. */
const SPEC_ORDER: readonly (keyof ServerSpec)[] = [
  'description',
  'package',
  'remote',
  'transport',
  'port',
  'path',
  'env',
  'secrets',
];

export function nameFrom(registryName: string): string {
  const last = registryName.split('/').pop() ?? registryName;
  const label = last
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return label || 'server';
}

function pickPackage(sj: ServerJson, index: number | undefined): number | undefined {
  const packages = sj.packages ?? [];
  if (index !== undefined) {
    const pkg = packages[index];
    if (!pkg) {
      throw new McpGitopsError(
        'ERR_USAGE',
        `--package ${index}: server.json has ${packages.length} package(s)`,
        {
          hint:
            packages.length > 0
              ? `use an index from 0 to ${packages.length - 1}`
              : 'this server only has remotes',
        },
      );
    }
    if (!SUPPORTED.includes(pkg.registryType as RegistryType)) {
      throw new McpGitopsError('ERR_USAGE', `packages[${index}] is a ${pkg.registryType} package`, {
        hint: `mcp-gitops runs ${SUPPORTED.join(', ')} packages`,
      });
    }
    return index;
  }
  for (const type of SUPPORTED) {
    const i = packages.findIndex((p) => p.registryType === type);
    if (i >= 0) return i;
  }
  return undefined;
}

function splitEnv(vars: readonly RegistryKeyValue[] | undefined, spec: ServerSpec, notes: Notes): void {
  const env: Record<string, string> = {};
  const secrets: SecretBinding[] = [];
  for (const v of vars ?? []) {
    if (!ENV_NAME.test(v.name)) {
      notes.add(`skipped environment variable "${v.name}": not a valid variable name`);
    } else if (v.isSecret) {
      secrets.push({ name: v.name, ref: `env:${v.name}` });
    } else {
      const value = inputValue(v, notes);
      if (value !== undefined) env[v.name] = value;
      else if (v.isRequired) {
        notes.add(
          `set vars.${varName(v.name)} in every environment that deploys this server (${v.description ?? v.name})`,
        );
        env[v.name] = `{{vars.${varName(v.name)}}}`;
      } else notes.add(`optional ${v.name} not set${v.description ? ` (${v.description})` : ''}`);
    }
  }
  if (Object.keys(env).length > 0) spec.env = env;
  if (secrets.length > 0) {
    spec.secrets = secrets;
    notes.add(
      `secrets are read at apply time from the reconciler's environment: ${secrets.map((s) => s.ref).join(', ')} (or change the refs to file:PATH)`,
    );
  }
}

/** Port and path of an HTTP package from its URL template; a port given by an env var is wired to {{server.port}}. */
function httpEndpoint(pkg: RegistryPackage, spec: ServerSpec, port: number | undefined, notes: Notes): void {
  const template = pkg.transport.url ?? '';
  const portVar = /:\{([A-Za-z0-9_.-]+)\}/.exec(template)?.[1];
  const defaults: Record<string, { value?: string }> = {};
  for (const v of pkg.environmentVariables ?? []) defaults[v.name] = { value: v.value ?? v.default };
  for (const a of [...(pkg.packageArguments ?? []), ...(pkg.runtimeArguments ?? [])]) {
    const key = a.valueHint ?? a.name?.replace(/^-+/, '');
    if (key) defaults[key] = { value: a.value ?? a.default };
  }
  const filled = template.replace(/\{([A-Za-z0-9_.-]+)\}/g, (m, k: string) => defaults[k]?.value ?? m);
  let url: URL | undefined;
  try {
    url = new URL(filled.replace(/\{[^}]*\}/g, 'placeholder'));
  } catch {
    url = undefined;
  }
  const urlPort = url && /^\d+$/.test(url.port) ? Number(url.port) : undefined;
  spec.port = port ?? urlPort;
  if (spec.port === undefined) {
    throw new McpGitopsError(
      'ERR_USAGE',
      `cannot tell which port the ${pkg.transport.type} package listens on`,
      {
        hint: `its transport URL is "${template || '(none)'}"; pass --port N`,
      },
    );
  }
  spec.path = url && url.pathname !== '/' ? url.pathname : '/mcp';
  if (portVar && spec.env && portVar in spec.env) spec.env[portVar] = '{{server.port}}';
  else if (port !== undefined && port !== urlPort)
    notes.add(`tell the server to listen on ${port} (e.g. env PORT: "{{server.port}}")`);
}

function fromPackage(sj: ServerJson, index: number, opts: ImportOptions, notes: Notes): ServerSpec {
  const pkg = (sj.packages ?? [])[index];
  const source: PackageSource = {
    registryType: pkg.registryType as RegistryType,
    identifier: pkg.identifier,
    version: pkg.version,
  };
  const runtime = argumentTokens(pkg.runtimeArguments, notes);
  const args = argumentTokens(pkg.packageArguments, notes);
  if (args.length > 0) source.packageArguments = args;
  if (runtime.length > 0) source.runtimeArguments = runtime;
  const spec: ServerSpec = { package: source, transport: pkg.transport.type };
  splitEnv(pkg.environmentVariables, spec, notes);
  if (pkg.transport.type !== 'stdio') httpEndpoint(pkg, spec, opts.port, notes);
  return spec;
}

function fromRemote(remote: RegistryRemote, notes: Notes): ServerSpec {
  const url = fillPlaceholders(remote.url, remote.variables, notes);
  const spec: ServerSpec = { remote: { url }, transport: remote.type };
  const headers: Record<string, string> = {};
  for (const h of remote.headers ?? []) {
    if (h.isSecret) {
      notes.add(
        `header ${h.name} carries a secret: configure it in each client, mcp-gitops never writes secret values into git`,
      );
      continue;
    }
    const value = inputValue(h, notes);
    if (value !== undefined) headers[h.name] = value;
    else if (h.isRequired) notes.add(`header ${h.name} is required and has no value in server.json`);
  }
  if (Object.keys(headers).length > 0) spec.remote = { url, headers };
  return spec;
}

export function toServer(sj: ServerJson, opts: ImportOptions = {}): ImportResult {
  const name = opts.name ?? nameFrom(sj.name);
  if (!DNS_LABEL.test(name) || name.length > 63) {
    throw new McpGitopsError('ERR_USAGE', `"${name}" is not a valid server name`, {
      hint: 'use a DNS label: lowercase letters, digits and -, e.g. --name weather',
    });
  }
  const list: string[] = [];
  const notes: Notes = { add: (n) => (list.includes(n) ? undefined : list.push(n)) };
  const index = pickPackage(sj, opts.packageIndex);
  let spec: ServerSpec;
  let source: string;
  if (index !== undefined) {
    spec = fromPackage(sj, index, opts, notes);
    source = `packages[${index}]`;
  } else if ((sj.remotes ?? []).length > 0) {
    spec = fromRemote((sj.remotes ?? [])[0], notes);
    source = 'remotes[0]';
  } else {
    const types = (sj.packages ?? []).map((p) => p.registryType);
    throw new McpGitopsError('ERR_USAGE', `${sj.name} has no ${SUPPORTED.join(', ')} package and no remote`, {
      hint:
        types.length > 0
          ? `its packages are ${types.join(', ')}`
          : 'server.json lists neither packages nor remotes',
    });
  }
  const description = sj.description ?? sj.title;
  const ordered = Object.fromEntries(
    SPEC_ORDER.map((k) => [k, k === 'description' ? description : spec[k]]).filter(
      ([, v]) => v !== undefined,
    ),
  ) as unknown as ServerSpec;
  const expectTools = opts.expectTools ?? [];
  ordered.health = expectTools.length > 0 ? { expectTools, timeoutMs: 10000 } : { timeoutMs: 10000 };
  if (expectTools.length === 0) {
    notes.add(
      'list the tools this server must offer in health.expectTools (or import with --expect-tools a,b)',
    );
  }
  return {
    resource: {
      apiVersion: API_VERSION,
      kind: 'Server',
      metadata: { name, annotations: { 'mcp-gitops/registry-name': sj.name } },
      spec: ordered,
    },
    notes: list,
    source,
  };
}
