/**
 * isomorphic-git, loaded with require() on first use. Imported as an ES module, Node first scans
 * its large CommonJS build for export names (cjs-module-lexer): measured ~40 ms of wall time and
 * ~90 ms of CPU per process. Even required, loading it (with sha.js, pako and their helpers) costs
 * ~35 ms, which `plan`, `reconcile` and `validate` no longer pay: they read refs, commits and trees
 * natively (src/git/refs/, src/git/commits/) and reach isomorphic-git only for what those readers
 * leave to it. Call sites read as before: `git.resolveRef(...)` loads the library then.
 */
import { createRequire } from 'node:module';
import type * as IsoGit from 'isomorphic-git';

let loaded: typeof IsoGit | undefined;

function isoGit(): typeof IsoGit {
  loaded ??= createRequire(import.meta.url)('isomorphic-git') as typeof IsoGit;
  return loaded;
}

/** isomorphic-git's API object; the library is required when a property is first read. */
export const git: typeof IsoGit.default = new Proxy({} as typeof IsoGit.default, {
  get: (_, key) => Reflect.get(isoGit().default, key),
  has: (_, key) => Reflect.has(isoGit().default, key),
});

/** isomorphic-git's TREE walker. */
export const TREE: typeof IsoGit.TREE = (args) => isoGit().TREE(args);
