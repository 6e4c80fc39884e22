/**
 * isomorphic-git, loaded with require(). Imported as an ES module, Node first scans its large
 * CommonJS build for export names (cjs-module-lexer): measured ~40 ms of wall time and ~90 ms of
 * CPU per process, paid by every `plan`, `validate --staged` and pre-push hook.
 */
import { createRequire } from 'node:module';
import type * as IsoGit from 'isomorphic-git';

const required = createRequire(import.meta.url)('isomorphic-git') as typeof IsoGit;

export const git: typeof IsoGit.default = required.default;
export const TREE: typeof IsoGit.TREE = required.TREE;
