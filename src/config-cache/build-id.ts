/**
 * Which build of the product a cached validation result belongs to (src/config-cache): an entry
 * is only ever read back by the exact code, schemas, built-in policies and parsing/validation
 * libraries that wrote it, so a change to any of them is a miss, never a stale result.
 *
 * - The code: in dist/, a hash of the sources that scripts/build.mjs computes when it bundles them
 *   and defines as `__MCP_GITOPS_BUILD_ID__`. Run from the sources (tsx) there is no such constant,
 *   and hashing ~700 source files costs a few hundred milliseconds, more than the cache saves, so
 *   the cache is off there unless `MCP_GITOPS_CONFIG_CACHE=1` asks for it (the tests that check the
 *   cache do): then the sources are hashed once per process.
 * - The product's `schemas/` and `policies/` files, read at run time by validation: hashed here, in
 *   both cases (~150 KB), so an edited schema or built-in policy is a miss even with a stale dist/.
 * - The installed versions of the npm packages whose behaviour is part of the result (YAML parsers,
 *   ajv, handlebars, re2js, semver): dist/ leaves them external, so an install can change them.
 *
 * `MCP_GITOPS_CONFIG_CACHE=0` turns the cache off. Any of the above that cannot be read turns it off
 * too (no build id, no cache): unknown inputs are never guessed.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { productPath } from '../init/product-paths.js';

declare const __MCP_GITOPS_BUILD_ID__: string | undefined;

/** The npm packages that parse, validate or template the config: their versions are part of the id. */
export const RESULT_PACKAGES = ['ajv', 'handlebars', 'js-yaml', 're2js', 'semver', 'yaml'] as const;

/** Product folders that validation reads at run time (schemas, built-in policies). */
const DATA_DIRS = ['schemas', 'policies'];

let memo: { code: string; id: string | undefined } | undefined;

/** The build id for the config cache, or undefined when the cache is off (see above). */
export function productBuildId(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const setting = env.MCP_GITOPS_CONFIG_CACHE;
  if (setting === '0') return undefined;
  const built = typeof __MCP_GITOPS_BUILD_ID__ === 'string' ? `dist:${__MCP_GITOPS_BUILD_ID__}` : undefined;
  if (built === undefined && setting !== '1') return undefined;
  const code = built ?? 'src';
  if (memo?.code !== code) memo = { code, id: computeId(built) };
  return memo.id;
}

function computeId(built: string | undefined): string | undefined {
  try {
    const hash = createHash('sha256');
    hash.update(built ?? `src:${hashTree(productPath('src'))}:${hashFile(productPath('package.json'))}`);
    for (const dir of DATA_DIRS) hash.update(`\0${dir}:${hashTree(productPath(dir))}`);
    const here = dirname(fileURLToPath(import.meta.url));
    for (const name of RESULT_PACKAGES) hash.update(`\0${name}@${packageVersion(here, name)}`);
    return hash.digest('hex');
  } catch {
    return undefined;
  }
}

function hashFile(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** sha256 over every file below `dir`: relative paths and contents, in a fixed order. */
export function hashTree(dir: string): string {
  const hash = createHash('sha256');
  const walk = (abs: string, rel: string) => {
    const entries = readdirSync(abs, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
    for (const entry of entries) {
      const childRel = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(join(abs, entry.name), childRel);
      else if (entry.isFile()) {
        hash.update(`${childRel}\0`);
        hash.update(readFileSync(join(abs, entry.name)));
        hash.update('\0');
      }
    }
  };
  walk(dir, '');
  return hash.digest('hex');
}

/**
 * The installed version of `name` as this module would import it: the first
 * `node_modules/<name>/package.json` up from here, which is where Node's module lookup finds it
 * (require.resolve would tell the same but costs ~3 ms per package at startup).
 */
function packageVersion(from: string, name: string): string {
  for (let dir = from; ; ) {
    let text: string | undefined;
    try {
      text = readFileSync(join(dir, 'node_modules', name, 'package.json'), 'utf8');
    } catch {
      text = undefined;
    }
    if (text !== undefined) {
      const pkg = JSON.parse(text) as { name?: string; version?: string };
      if (pkg.name === name && typeof pkg.version === 'string') return pkg.version;
      throw new Error(`node_modules/${name} in ${dir} is not ${name}`);
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find ${name} from ${from}`);
    dir = parent;
  }
}
