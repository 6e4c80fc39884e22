/**
 * One fleet target as an enrolled machine must apply it (protocol.ts `BundleTarget`): its settings
 * for the agent's own machine and its resolved servers, with a digest that is the version of that
 * desired state (the identity of a rollout release). Pure: the hub calls it for every release.
 *
 * The settings lose what only the hub needs (`selector`, `rollout`) and `home` (the agent's own
 * home is used), and say `host: local`: on the laptop the target is the laptop. A streamable-http
 * or sse server with no `remote.url` that a process or container target of the same environment
 * serves gets the address where that target serves it (src/providers/client-config/server-url.ts):
 * an ssh host's name, or for a target on the hub's own machine (`host: local`) only
 * `opts.publicHost`, since 127.0.0.1 on a laptop is the laptop. Without one, the server is left
 * out and returned in `skipped` so the hub can say why.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../core/canonical-json.js';
import type { TargetSpec } from '../../core/resources.js';
import type { DesiredEnvironment, DesiredServer, DesiredTarget } from '../../core/state.js';
import { noUrlReason, serverUrl } from '../../providers/client-config/server-url.js';
import { hashNormalized, normalizeServerSpec } from '../../resolve/normalize-server.js';
import type { BundleTarget } from '../protocol.js';

export interface BundleTargetOptions {
  /**
   * How machines reach the hub's own machine (a host name or IP address, no scheme or port):
   * servers run by a `host: local` process or container target get this as their URL's host.
   */
  publicHost?: string;
}

export interface SkippedServer {
  server: string;
  reason: string;
}

export interface BundleTargetResult extends BundleTarget {
  /**
   * Servers left out of the bundle, each with why: for the hub's warnings, not for agents (drop it
   * before sending: `const { skipped, ...target } = bundleTarget(...)`). Not part of the digest.
   */
  skipped: SkippedServer[];
}

/** Settings only the hub reads, or that each machine decides for itself. */
const HUB_ONLY_SETTINGS = new Set(['selector', 'rollout', 'home']);
const SERVING_PROVIDERS = new Set(['process', 'container']);

export function bundleTarget(
  environment: DesiredEnvironment,
  target: DesiredTarget,
  opts: BundleTargetOptions = {},
): BundleTargetResult {
  const settings = machineSettings(target.settings);
  const servers: DesiredServer[] = [];
  const skipped: SkippedServer[] = [];
  for (const server of target.servers) {
    const placed = withUrl(server, target, environment, opts.publicHost);
    if ('reason' in placed) skipped.push({ server: server.name, reason: placed.reason });
    else servers.push(placed.server);
  }
  return { name: target.name, settings, servers, digest: bundleDigest(settings, servers), skipped };
}

/** sha256 (hex) of canonicalJson({ settings, servers }): the version of a fleet target's desired state. */
export function bundleDigest(settings: TargetSpec, servers: readonly DesiredServer[]): string {
  return createHash('sha256').update(canonicalJson({ settings, servers })).digest('hex');
}

function machineSettings(settings: TargetSpec): TargetSpec {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(settings)) {
    if (!HUB_ONLY_SETTINGS.has(key)) out[key] = settings[key];
  }
  return { ...(out as TargetSpec), host: 'local' };
}

function withUrl(
  server: DesiredServer,
  target: DesiredTarget,
  environment: DesiredEnvironment,
  publicHost: string | undefined,
): { server: DesiredServer } | { reason: string } {
  const { transport, remote } = server.spec;
  if (transport === 'stdio' || remote?.url) return { server };
  const url = serverUrl(server, target, environment);
  if (url === undefined) return { reason: noUrlReason(server, environment) };
  const serving = servingTarget(server, environment);
  let reachable = url;
  if (serving?.host === 'local' && new URL(url).hostname === '127.0.0.1') {
    if (!publicHost) {
      return {
        reason:
          `${transport} server "${server.name}" runs on target "${serving.name}" on the hub's own machine, ` +
          'which agents cannot reach at 127.0.0.1: start serve with --fleet-public-host, or give the server a remote.url',
      };
    }
    const parsed = new URL(url);
    parsed.hostname =
      publicHost.includes(':') && !publicHost.startsWith('[') ? `[${publicHost}]` : publicHost;
    reachable = parsed.toString();
  }
  const spec = normalizeServerSpec({ ...server.spec, remote: { url: reachable } });
  return { server: { name: server.name, spec, specHash: hashNormalized(spec) } };
}

/** The process or container target serverUrl took the address from (its first match, as there). */
function servingTarget(server: DesiredServer, environment: DesiredEnvironment): DesiredTarget | undefined {
  return environment.targets.find(
    (other) =>
      SERVING_PROVIDERS.has(other.provider) &&
      other.servers.some((s) => s.name === server.name && s.spec.port !== undefined),
  );
}
