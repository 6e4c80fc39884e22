/**
 * The `process` provider (DESIGN.md §4): streamable-http and SSE servers from a pinned npm
 * package or a command, run as supervised long-running processes on the target's host.
 */
import type { ServerSpec, TargetSpec } from '../../core/resources.js';
import type { DesiredServer, DesiredTarget, ObservedTarget } from '../../core/state.js';
import type { Endpoint, Provider, ProviderContext } from '../types.js';
import { processSettings, validateProcessTarget } from './process-settings.js';
import { comparable } from './server-record.js';

// observe, apply and endpoint load their modules (supervisors, installers, remote scripts) on
// use: validate and plan, which only need the pure methods, never pay for them. apply and
// endpoint run once per server: the import is kept, not resolved again each time.
let applyModule: Promise<typeof import('./apply-process-change.js')> | undefined;
let endpointModule: Promise<typeof import('./server-endpoint.js')> | undefined;
let batchModule: Promise<typeof import('./process-batch.js')> | undefined;

export const processProvider: Provider = {
  id: 'process',
  description:
    'Runs streamable-http/SSE MCP servers (npm package or command) as supervised processes: one npm ' +
    'prefix per pinned version under baseDir (default ~/.mcp-gitops), systemd / start-stop-daemon / ' +
    'pidfile supervision with a launcher that restarts crashed servers with backoff (restarts and ' +
    'crash loops are observed), logs rotated by size, old installs removed, verification only of ' +
    'the process it started, secrets only through a 0600 env file, and every listen() without a host ' +
    'bound to listenHost (default 127.0.0.1) so nothing is exposed beyond the machine by default. ' +
    'On ssh hosts, servers are verified over the network when their port answers from here, else ' +
    'on the host itself through ssh.',

  validateTarget: validateProcessTarget,

  supports(server: ServerSpec, _target: TargetSpec): boolean {
    if (server.transport !== 'streamable-http' && server.transport !== 'sse') return false;
    return server.package?.registryType === 'npm' || server.command !== undefined;
  },

  render(server: DesiredServer, target: DesiredTarget): Record<string, unknown> {
    return comparable({
      running: true,
      version: server.spec.package?.version,
      port: server.spec.port,
      listenHost: processSettings(target.settings).listenHost,
    });
  },

  async observe(ctx: ProviderContext): Promise<ObservedTarget> {
    const observed = { environment: ctx.environment.name, target: ctx.target.name };
    const [{ redactor }, { resolveLayout }, { readInventory }, { detectSupervisor }, liveness] =
      await Promise.all([
        import('../../log/redact.js'),
        import('./process-settings.js'),
        import('./read-inventory.js'),
        import('./supervisor.js'),
        import('./launcher-state.js'),
      ]);
    try {
      const settings = processSettings(ctx.target.settings);
      const layout = await resolveLayout(ctx.host, settings, ctx.environment.name);
      // Both at once (two round trips in flight over ssh); a failure is reported as before,
      // the supervisor's first.
      const [detected, listed] = await Promise.allSettled([
        detectSupervisor(ctx.host, settings.supervisor),
        readInventory(ctx.host, layout),
      ]);
      if (detected.status === 'rejected') throw detected.reason;
      if (listed.status === 'rejected') throw listed.reason;
      const supervisor = detected.value;
      const entries = listed.value;
      const servers = entries.flatMap((entry) => {
        const record = entry.record;
        if (!record) return [];
        // Serving: the launcher and the server it supervises are up, and not crash looping.
        const running = liveness.isServing(entry.live);
        const down = liveness.describeDown(entry.live);
        // Reported once there was one: a 0 would only differ from a report written right after apply.
        const restarts = entry.live.state?.restarts || undefined;
        return [
          {
            name: entry.name,
            spec: record.spec,
            specHash: record.specHash,
            running,
            ...(restarts === undefined ? {} : { restarts }),
            ...(down === undefined ? {} : { down: redactor.redact(down) }),
            // Drift is the supervisor being gone: a server its launcher is restarting (or
            // restarting with backoff in a crash loop) is unhealthy with `down`, and applying it
            // again would only restart the same thing.
            actual: comparable({
              running: entry.live.launcherRunning,
              version: record.version,
              port: record.port,
              listenHost: record.listenHost,
            }),
          },
        ];
      });
      return { ...observed, reachable: true, servers, facts: { supervisor, baseDir: layout.baseDir } };
    } catch (err) {
      const reason = redactor.redact(err instanceof Error ? err.message : String(err));
      return { ...observed, reachable: false, reason, servers: [] };
    }
  },

  async apply(ctx, change) {
    applyModule ??= import('./apply-process-change.js');
    const { applyProcessChange } = await applyModule;
    return applyProcessChange(ctx, change);
  },

  // A run's changes of one target: several creates at once on the local host (process-batch.ts).
  async openBatch(ctx) {
    batchModule ??= import('./process-batch.js');
    const { openProcessBatch } = await batchModule;
    return openProcessBatch(ctx);
  },

  async endpoint(ctx: ProviderContext, server: DesiredServer): Promise<Endpoint | undefined> {
    endpointModule ??= import('./server-endpoint.js');
    const { serverEndpoint } = await endpointModule;
    return serverEndpoint(ctx, server);
  },
};
