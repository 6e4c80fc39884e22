/**
 * Whether a variable path used in a template is defined where the template is rendered. Returns
 * the reason it is not, or undefined when it is. `scope` says which roots a field may use.
 */
import type { ServerSpec, TargetSpec } from '../core/resources.js';

export interface VariableScope {
  /** Target settings may only use vars, environment.name and target.name. */
  kind: 'server' | 'target';
  environment?: { name: string; vars: Record<string, string> };
  target?: TargetSpec;
  server?: { name: string; spec: ServerSpec };
}

const SERVER_HINT =
  'templates may use vars.*, environment.name, target.name|host|<setting>, server.name|port|path';
const TARGET_HINT = 'target settings may use vars.*, environment.name and target.name';

function own(object: unknown, key: string): boolean {
  return object !== null && typeof object === 'object' && Object.hasOwn(object, key);
}

/** Problems that do not depend on any environment: unknown roots, wrong depth. */
export function checkVariableShape(variable: string, kind: VariableScope['kind']): string | undefined {
  const [root, ...rest] = variable.split('.');
  const hint = kind === 'server' ? SERVER_HINT : TARGET_HINT;
  switch (root) {
    case 'vars':
      return rest.length === 1 ? undefined : `"${variable}": vars are strings; use vars.<name> (${hint})`;
    case 'environment':
      return rest.length === 1 && rest[0] === 'name' ? undefined : `unknown variable "${variable}" (${hint})`;
    case 'target':
      if (kind === 'target')
        return variable === 'target.name' ? undefined : `unknown variable "${variable}" (${hint})`;
      return rest.length >= 1 ? undefined : `unknown variable "${variable}" (${hint})`;
    case 'server':
      if (kind === 'target') return `unknown variable "${variable}" (${hint})`;
      return rest.length === 1 && ['name', 'port', 'path'].includes(rest[0]!)
        ? undefined
        : `unknown variable "${variable}" (${hint})`;
    default:
      return `unknown variable "${variable}" (${hint})`;
  }
}

/** Problems that depend on where the template is rendered (an environment, target and server). */
export function checkVariableIn(variable: string, scope: VariableScope): string | undefined {
  const [root, ...rest] = variable.split('.');
  const env = scope.environment;
  if (root === 'vars' && env && !own(env.vars, rest[0]!)) {
    return `"${variable}" is not defined in environment ${env.name} (add it to spec.vars there)`;
  }
  if (
    root === 'target' &&
    scope.kind === 'server' &&
    scope.target &&
    rest[0] !== 'name' &&
    rest[0] !== 'host'
  ) {
    let value: unknown = scope.target;
    for (const part of rest) {
      if (!own(value, part)) {
        return `"${variable}" is not set on target ${scope.target.name}${env ? ` of environment ${env.name}` : ''}`;
      }
      value = (value as Record<string, unknown>)[part];
    }
  }
  if (root === 'server' && scope.server) {
    const spec = scope.server.spec;
    const http = spec.transport === 'streamable-http' || spec.transport === 'sse';
    const where = env ? ` in environment ${env.name}` : '';
    if (rest[0] === 'port' && spec.port === undefined) {
      return `"server.port" is used but server ${scope.server.name} has no port${where}`;
    }
    if (rest[0] === 'path' && spec.path === undefined && !http) {
      return `"server.path" is used but server ${scope.server.name} has no path${where} (only HTTP transports default to /mcp)`;
    }
  }
  return undefined;
}
