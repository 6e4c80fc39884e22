/**
 * MCP clients start servers without a shell, so a `~/…` in a server's command, arguments or
 * environment would reach the server literally. The target's home is written in its place: the
 * target's `home` setting, or for a local target the home mcp-gitops uses (`MCP_GITOPS_HOME` or
 * the user's). An ssh target without `home` keeps `~` (its home is only known on the host).
 */
import * as path from 'node:path';
import type { ServerSpec } from '../../core/resources.js';
import type { DesiredServer, DesiredTarget } from '../../core/state.js';
import { defaultHome, expandTilde } from '../../hosts/local-host.js';

export function targetHome(target: Pick<DesiredTarget, 'host' | 'settings'>): string | undefined {
  if (target.settings.home) return path.resolve(expandTilde(target.settings.home, defaultHome()));
  return target.host === 'local' ? defaultHome() : undefined;
}

export function expandServerHome(server: DesiredServer, home: string | undefined): DesiredServer {
  if (!home) return server;
  const x = (s: string) => expandTilde(s, home);
  const spec: ServerSpec = { ...server.spec };
  if (spec.env) spec.env = Object.fromEntries(Object.entries(spec.env).map(([k, v]) => [k, x(v)]));
  if (spec.command)
    spec.command = {
      ...spec.command,
      path: x(spec.command.path),
      ...(spec.command.args ? { args: spec.command.args.map(x) } : {}),
    };
  if (spec.package?.packageArguments)
    spec.package = { ...spec.package, packageArguments: spec.package.packageArguments.map(x) };
  return { ...server, spec };
}
