/**
 * Where the reconciler speaks MCP to a registered server to verify it: the same command line the
 * clients launch, with secrets resolved into its environment (and registered for redaction), or
 * the URL the clients connect to. A package runner (npx, uvx, docker) starts in the target's home
 * with HOME set to it, where apply's prefetch put the package, so the handshake times start-up
 * only. On an ssh host the command runs there, through ssh (`sshStdioEndpoint`): the handshake is
 * checked on the machine whose clients launch it.
 */
import { isHttp, stdioLaunch } from '../../clients/build-entry.js';
import type { DesiredServer } from '../../core/state.js';
import { isSshHost, sshStdioEndpoint } from '../ssh-stdio-endpoint.js';
import type { Endpoint, ProviderContext } from '../types.js';
import { expandServerHome } from './expand-home.js';
import { launchesPackage, launchPlace } from './launch-place.js';
import { serverUrl } from './server-url.js';

export async function serverEndpoint(
  ctx: ProviderContext,
  desired: DesiredServer,
): Promise<Endpoint | undefined> {
  const server = expandServerHome(desired, await ctx.host.home());
  const spec = server.spec;
  if (isHttp(spec)) {
    const url = serverUrl(server, ctx.target, ctx.environment);
    if (!url) return undefined;
    const headers = spec.remote?.headers;
    return {
      kind: 'http',
      url,
      ...(headers && Object.keys(headers).length > 0 ? { headers: { ...headers } } : {}),
      transport: spec.transport === 'sse' ? 'sse' : 'streamable-http',
    };
  }
  const launch = stdioLaunch(spec);
  if (!launch) return undefined;
  // A package runner starts where the prefetch filled its cache (launch-place.ts).
  const place = launchesPackage(spec) ? await launchPlace(ctx.host, spec.env) : undefined;
  const env: Record<string, string> = { ...(place?.env ?? spec.env ?? {}) };
  for (const binding of spec.secrets ?? []) {
    const value = await ctx.secrets.resolve(binding.ref);
    ctx.redact(value);
    env[binding.name] = value;
  }
  const cwd = place ? { cwd: place.cwd } : {};
  if (isSshHost(ctx.host)) {
    const label = `${ctx.host.id}: ${[launch.command, ...launch.args].join(' ')}`;
    return sshStdioEndpoint(ctx.host, { command: launch.command, args: launch.args, env, ...cwd }, label);
  }
  return { kind: 'stdio', command: launch.command, args: launch.args, env, ...cwd };
}
