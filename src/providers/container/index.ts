/**
 * The `container` provider (DESIGN.md §4): streamable-http and SSE servers from an `oci` package
 * run as containers through the Docker Engine API (Docker, or Podman's compatible socket), on this
 * machine or on an `ssh://` host (its socket forwarded over the host's ssh control master).
 */
import type { ServerSpec, TargetSpec } from '../../core/resources.js';
import type { DesiredServer, DesiredTarget, ObservedTarget } from '../../core/state.js';
import type { Endpoint, Provider, ProviderContext } from '../types.js';
import { containerSettings, validateContainerTarget } from './container-settings.js';
import { renderComparable, unsupportedReason } from './render-container.js';

// observe, apply and endpoint load the Engine API client and the change logic on use: validate
// and plan, which only need the pure methods, never pay for them.

export const containerProvider: Provider = {
  id: 'container',
  description:
    'Runs streamable-http/SSE MCP servers from oci images as containers through the Docker Engine API ' +
    '(Docker or Podman): labelled as owned by the environment and target, published on bindAddress ' +
    '(default 127.0.0.1) at the server port, restart policy unless-stopped, secrets only in the ' +
    "container's environment. Updates swap containers and keep the previous one until the new one starts. " +
    'Observe reports restarts and why a server is down (exit code, crash loop, last log lines); images it ' +
    'pulled that no desired, running or recent version uses are removed after each change. ' +
    'On ssh hosts, the engine socket and unreachable published ports are forwarded through the ssh connection.',

  validateTarget: validateContainerTarget,

  supports(server: ServerSpec, _target: TargetSpec): boolean {
    return unsupportedReason('', server) === undefined;
  },

  render(server: DesiredServer, target: DesiredTarget): Record<string, unknown> {
    return renderComparable(server.spec, containerSettings(target.settings).bindAddress);
  },

  async observe(ctx: ProviderContext): Promise<ObservedTarget> {
    const observed = { environment: ctx.environment.name, target: ctx.target.name };
    const [{ redactor }, { engineVersion, ping }, { engineClient }, { observeServers }] = await Promise.all([
      import('../../log/redact.js'),
      import('./engine-api.js'),
      import('./engine-connection.js'),
      import('./observe-containers.js'),
    ]);
    try {
      const settings = containerSettings(ctx.target.settings);
      const client = await engineClient(ctx);
      await ping(client);
      const engine = await engineVersion(client);
      const servers = await observeServers(ctx, client);
      return { ...observed, reachable: true, servers, facts: { engine, socket: settings.socketPath } };
    } catch (err) {
      const reason = redactor.redact(err instanceof Error ? err.message : String(err));
      return { ...observed, reachable: false, reason, servers: [] };
    }
  },

  async apply(ctx, change) {
    const { applyContainerChange } = await import('./apply-container-change.js');
    return applyContainerChange(ctx, change);
  },

  async endpoint(ctx: ProviderContext, server: DesiredServer): Promise<Endpoint | undefined> {
    const { containerEndpoint } = await import('./container-endpoint.js');
    return containerEndpoint(ctx, server);
  },
};
