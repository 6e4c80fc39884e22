/**
 * Gathers the facts `cli-invocation.ts` decides on: is `mcp-gitops` on the user's own PATH, was
 * this process started by `npx` in a project that has this package installed, and where the
 * product lives. Reads PATH, npm's environment variables and the file system; changes nothing.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type CliInvocation, describeInvocation } from './cli-invocation.js';
import { binScript, isSourceCheckout, productRoot, productVersion } from './product-paths.js';

/** The real path of `p`, or `p` itself when it does not exist. */
function realOrSelf(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return p;
  }
}

/** The real path of a folder that may not exist yet: its nearest existing ancestor resolved. */
export function realTarget(dir: string): string {
  const abs = path.resolve(dir);
  const parent = path.dirname(abs);
  if (fs.existsSync(abs) || parent === abs) return realOrSelf(abs);
  return path.join(realTarget(parent), path.basename(abs));
}

/**
 * PATH as the user's shell has it: npm and npx prepend every `node_modules/.bin` above the
 * current folder (and npx's cache), which a plain shell in another folder would not have.
 */
export function userPathDirs(env: NodeJS.ProcessEnv): string[] {
  return (env.PATH ?? '')
    .split(path.delimiter)
    .filter((dir) => dir !== '' && !/(^|[\\/])node_modules[\\/]\.bin[\\/]?$/.test(dir));
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

export function onUserPath(env: NodeJS.ProcessEnv): boolean {
  return userPathDirs(env).some((dir) => isExecutable(path.join(dir, 'mcp-gitops')));
}

/** The project `npx mcp-gitops` resolves to this very package in, if this process was started so. */
export function npxProject(env: NodeJS.ProcessEnv, product: string): string | undefined {
  const project = env.npm_config_local_prefix;
  if (env.npm_command !== 'exec' || !project) return undefined;
  const installed = path.join(project, 'node_modules', 'mcp-gitops');
  return fs.existsSync(installed) && realOrSelf(installed) === product ? realOrSelf(project) : undefined;
}

/** What to tell the user to run for a config repo in `targetDir`. */
export function detectInvocation(targetDir: string, env: NodeJS.ProcessEnv = process.env): CliInvocation {
  const root = realOrSelf(productRoot());
  const project = npxProject(env, root);
  return describeInvocation({
    onPath: onUserPath(env),
    ...(project !== undefined ? { npxProject: project } : {}),
    targetDir: realTarget(targetDir),
    productRoot: root,
    binScript: realOrSelf(binScript()),
    checkout: isSourceCheckout(),
    version: productVersion(),
  });
}
