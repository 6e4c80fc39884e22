/**
 * Install is not start-up. Before a stdio server that a package runner launches is registered, the
 * pinned version is fetched into the target host's package cache, as its own step with its own
 * timeout: `npx -y --package=<id>@<version> -- true` (npx's own cache, the directory a later
 * `npx -y <id>@<version>` runs from), `uvx --from <id>==<version> python -c pass`, or
 * `docker pull <image>`. So the MCP handshake that verification times afterwards, and the user's
 * own client, only start the server; and a version that cannot be fetched fails the change with
 * the package manager's reason instead of a later "not answering MCP".
 *
 * It runs on the target's host, in the place clients and verification launch the server
 * (launch-place.ts: HOME and working directory = the target's home) and with the environment
 * verification gives it (on this machine: the MCP SDK's default variables, plus proxy and CA
 * settings), never the server's secrets. What one run fetched is not fetched again in that run.
 * `prefetch: false` on the target turns it off; `prefetchTimeoutMs` bounds it (default 10 min).
 */
import { getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { ServerSpec } from '../../core/resources.js';
import type { DesiredServer } from '../../core/state.js';
import type { ExecResult } from '../../hosts/types.js';
import type { ProviderContext } from '../types.js';
import { expandServerHome } from './expand-home.js';
import { launchesPackage, launchPlace } from './launch-place.js';

export const DEFAULT_PREFETCH_TIMEOUT_MS = 600_000;

/** Network settings of this process that a fetch needs as much as the client would. */
const NETWORK_VARIABLES = [
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'ALL_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'all_proxy',
  'NODE_EXTRA_CA_CERTS',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
];

export interface PrefetchStep {
  /** The program the clients launch; it must be on the host. */
  runtime: 'npx' | 'uvx' | 'docker';
  /** Who fetches, for messages: npm, uv, docker. */
  tool: string;
  /** The pinned package, as the package manager spells it. */
  what: string;
  /** Where it goes, for the progress line. */
  into: string;
  args: string[];
  /** The package manager's own reason for a failed fetch. */
  reason(result: ExecResult): string;
}

/** Pure: how to fetch the server's pinned package, or undefined when nothing is fetched. */
export function prefetchStep(spec: ServerSpec): PrefetchStep | undefined {
  const pkg = spec.package;
  if (!pkg || !launchesPackage(spec)) return undefined;
  const runtime = pkg.runtimeArguments ?? [];
  switch (pkg.registryType) {
    case 'npm': {
      const what = `${pkg.identifier}@${pkg.version}`;
      // --package gives npx the same package list, hence the same _npx/<hash> directory, as the
      // clients' `npx -y <what>`; `true` runs instead of the server.
      const args = ['-y', ...runtime, `--package=${what}`, '--', 'true'];
      return { runtime: 'npx', tool: 'npm', what, into: 'the npm cache', args, reason: npmReason };
    }
    case 'pypi': {
      const what = `${pkg.identifier}==${pkg.version}`;
      // The tool environment uvx caches for `uvx <what>`; its python runs instead of the server.
      const args = [...runtime, '--from', what, 'python', '-c', 'pass'];
      return { runtime: 'uvx', tool: 'uv', what, into: 'the uv cache', args, reason: uvReason };
    }
    case 'oci': {
      // The image reference as build-entry.ts launches it.
      const what = pkg.version.startsWith('sha256:')
        ? `${pkg.identifier}@${pkg.version}`
        : `${pkg.identifier}:${pkg.version}`;
      const args = ['pull', ...platformArgs(runtime), what];
      return { runtime: 'docker', tool: 'docker', what, into: "docker's images", args, reason: dockerReason };
    }
  }
  return undefined;
}

/**
 * What each run fetched (or failed to), by package and place. The run's secret resolver stands for
 * the run: the engine makes one per run (engine/default-deps.ts), so the next run checks again.
 */
const runs = new WeakMap<object, Map<string, Promise<void>>>();

/**
 * Fetch the server's pinned package on the target's host, once per run for the same package and
 * place; throws an Error whose message says why it could not (it fails the change).
 */
export async function prefetchPackage(ctx: ProviderContext, desired: DesiredServer): Promise<void> {
  const step = prefetchStep(desired.spec);
  if (!step || ctx.target.settings.prefetch === false) return;
  const server = expandServerHome(desired, await ctx.host.home());
  const place = await launchPlace(ctx.host, server.spec.env);
  const key = JSON.stringify([ctx.host.id, place.home, step.runtime, step.args, place.env]);
  let done = runs.get(ctx.secrets);
  if (!done) {
    done = new Map();
    runs.set(ctx.secrets, done);
  }
  let fetch = done.get(key);
  if (!fetch) {
    fetch = runStep(ctx, desired.name, step, place);
    fetch.catch(() => undefined);
    done.set(key, fetch);
  }
  await fetch;
}

async function runStep(
  ctx: ProviderContext,
  server: string,
  step: PrefetchStep,
  place: Awaited<ReturnType<typeof launchPlace>>,
): Promise<void> {
  const { host, target } = ctx;
  const where = host.kind === 'local' ? target.name : `${target.name} (${host.id})`;
  if (!(await host.which(step.runtime))) {
    throw new Error(
      `${step.runtime} is not installed on ${where}; the clients there could not start this server`,
    );
  }
  const timeoutMs = prefetchTimeoutMs(target.settings.prefetchTimeoutMs);
  const fields = { server, package: step.what, host: host.id };
  ctx.logger.info(fields, `fetching ${step.what} into ${step.into} on ${where}`);
  ctx.progress?.(server, `installing ${step.what} into ${step.into}`, 'installing');
  await host.mkdir(place.home);
  const started = performance.now();
  // On this machine, the variables verification starts the server with (not this process's own
  // npm_config_cache and the like, which would fill another cache); ssh hosts use their own.
  const env =
    host.kind === 'local' ? { ...getDefaultEnvironment(), ...networkEnv(), ...place.env } : place.env;
  const result = await host.exec(step.runtime, step.args, { env, cleanEnv: true, cwd: place.cwd, timeoutMs });
  const durationMs = Math.round(performance.now() - started);
  if (result.exitCode !== 0) {
    const reason =
      result.exitCode === 124
        ? `not done after ${timeoutMs} ms (raise prefetchTimeoutMs on target "${target.name}")`
        : step.reason(result);
    ctx.logger.warn({ ...fields, durationMs, reason }, `${step.tool} could not fetch ${step.what}`);
    ctx.progress?.(server, `${step.tool} could not fetch ${step.what} (${seconds(durationMs)})`);
    throw new Error(`${step.tool} could not fetch ${step.what}: ${reason}`);
  }
  ctx.logger.info({ ...fields, durationMs }, `fetched ${step.what} into ${step.into} on ${where}`);
  ctx.progress?.(server, `installed ${step.what} (${seconds(durationMs)})`);
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export function prefetchTimeoutMs(setting: unknown): number {
  return typeof setting === 'number' && Number.isInteger(setting) && setting > 0
    ? setting
    : DEFAULT_PREFETCH_TIMEOUT_MS;
}

function networkEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of NETWORK_VARIABLES) {
    const value = process.env[name];
    if (value) env[name] = value;
  }
  return env;
}

function platformArgs(runtime: readonly string[]): string[] {
  for (const [i, arg] of runtime.entries()) {
    if (arg.startsWith('--platform=')) return [arg];
    if (arg === '--platform' && runtime[i + 1] !== undefined) return [arg, runtime[i + 1]!];
  }
  return [];
}

const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;

function lines(text: string): string[] {
  return text
    .replace(ANSI, '')
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== '');
}

function fallback(result: ExecResult): string {
  const all = lines(result.stderr);
  return all[all.length - 1]?.trim() ?? `exit code ${result.exitCode}`;
}

/**
 * npm's error block, e.g. `npm error code ETARGET` + `npm error notarget No matching version found
 * for x@9.9.9.` → `No matching version found for x@9.9.9 (ETARGET)`.
 */
export function npmReason(result: ExecResult): string {
  let code: string | undefined;
  let message: string | undefined;
  for (const line of lines(result.stderr)) {
    const body = /^npm (?:error|ERR!) (.*)$/.exec(line)?.[1]?.trim();
    if (!body) continue;
    const [, title = '', rest = ''] = /^(\S+)\s*(.*)$/.exec(body) ?? [];
    if (title === 'code') {
      code ??= rest;
      continue;
    }
    if (message || !rest || ['errno', 'syscall', 'path', 'dest'].includes(title)) continue;
    if (/^(A complete log of this run|Log files were not written)/.test(body)) continue;
    // `notarget No matching…`, `404 Not Found - GET …`: npm's lowercase title is not the message.
    message = (/^[a-z0-9]+$/.test(title) ? rest : body).replace(/\.$/, '');
  }
  if (!message) return code ? `npm error ${code}` : fallback(result);
  return code && !message.includes(code) ? `${message} (${code})` : message;
}

/** uv's `error: …` and the indented causes that follow it, on one line. */
export function uvReason(result: ExecResult): string {
  const parts: string[] = [];
  for (const line of lines(result.stderr)) {
    const error = /^error:\s*(.*)$/.exec(line);
    if (error && parts.length === 0) {
      parts.push(error[1]!);
      continue;
    }
    const cause = /^\s+(?:cause|Caused by):\s*(.*)$/i.exec(line);
    if (cause && parts.length > 0) parts.push(cause[1]!);
  }
  return parts.length > 0 ? parts.join(': ') : fallback(result);
}

/** The last line docker or podman printed, without its `Error:` prefix. */
export function dockerReason(result: ExecResult): string {
  return fallback(result).replace(/^Error(?: response from daemon)?:\s*/i, '');
}
