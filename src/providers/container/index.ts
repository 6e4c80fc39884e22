/**
 * The `container` provider (DESIGN.md §4): streamable-http and SSE servers from an `oci` package
 * run as containers through the Docker Engine API (Docker, or Podman's compatible socket).
 */
import type { ServerSpec, TargetSpec } from '../../core/resources.js';
import type { DesiredServer, DesiredTarget, ObservedTarget } from '../../core/state.js';
import { redactor } from '../../log/redact.js';
import type { Endpoint, Provider, ProviderContext } from '../types.js';
import { applyContainerChange } from './apply-container-change.js';
import { containerEndpoint } from './container-endpoint.js';
import { containerSettings, validateContainerTarget } from './container-settings.js';
import { engineVersion, ping } from './engine-api.js';
import { EngineClient } from './engine-client.js';
import { findContainers, observedServer } from './observe-containers.js';
import { renderComparable, unsupportedReason } from './render-container.js';

export const containerProvider: Provider = {
  id: 'container',
  description:
    'Runs streamable-http/SSE MCP servers from oci images as containers through the Docker Engine API ' +
    '(Docker or Podman): labelled as owned by the environment and target, published on bindAddress ' +
    '(default 127.0.0.1) at the server port, restart policy unless-stopped, secrets only in the ' +
    "container's environment. Updates swap containers and keep the previous one until the new one starts.",

  validateTarget: validateContainerTarget,

  supports(server: ServerSpec, _target: TargetSpec): boolean {
    return unsupportedReason('', server) === undefined;
  },

  render(server: DesiredServer, target: DesiredTarget): Record<string, unknown> {
    return renderComparable(server.spec, containerSettings(target.settings).bindAddress);
  },

  async observe(ctx: ProviderContext): Promise<ObservedTarget> {
    const observed = { environment: ctx.environment.name, target: ctx.target.name };
    try {
      const settings = containerSettings(ctx.target.settings);
      const client = new EngineClient(settings.socketPath);
      await ping(client);
      const engine = await engineVersion(client);
      const found = await findContainers(client, ctx.environment.name, ctx.target.name);
      const servers = [...found.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([name, containers]) => observedServer(name, containers));
      return { ...observed, reachable: true, servers, facts: { engine, socket: settings.socketPath } };
    } catch (err) {
      const reason = redactor.redact(err instanceof Error ? err.message : String(err));
      return { ...observed, reachable: false, reason, servers: [] };
    }
  },

  apply: applyContainerChange,

  async endpoint(ctx: ProviderContext, server: DesiredServer): Promise<Endpoint | undefined> {
    return containerEndpoint(ctx, server);
  },
};
