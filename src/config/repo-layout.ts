/**
 * Which files of a config repo the loader reads (DESIGN.md §2).
 *
 * Every `*.yaml` / `*.yml` file is read, except under `.git/` and `node_modules/` (anywhere) and
 * the top-level `reports/` (written by mcp-gitops only). Files are then one of two sorts:
 * - resource files: `mcp-gitops.yaml` and everything under `servers/`, `environments/`,
 *   `policies/`, `hooks/`, `tool-locks/`, plus any other file whose text declares `apiVersion: mcp-gitops/...`.
 *   Every document in them must be a resource; any problem is an error.
 * - other YAML (CI workflows, `.pre-commit-hooks.yaml`, ...): kept in `ConfigSet.files` so the
 *   secret scan sees them, never loaded as resources, and not required to parse.
 */
export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;
/** YAML bytes a whole config may have when read from git (a 10,000-server repo has ~5 MiB). */
export const DEFAULT_MAX_TOTAL_BYTES = 64 * 1024 * 1024;

export const REPOSITORY_FILE = 'mcp-gitops.yaml';

const RESOURCE_DIRS = new Set(['servers', 'environments', 'policies', 'hooks', 'tool-locks']);
const SKIPPED_ANYWHERE = new Set(['.git', 'node_modules']);
const SKIPPED_AT_ROOT = new Set(['reports']);

const DECLARES_RESOURCE = /^\s*apiVersion\s*:\s*["']?mcp-gitops\//m;

export function isYamlPath(path: string): boolean {
  return path.endsWith('.yaml') || path.endsWith('.yml');
}

/** True for a directory (repo-relative, POSIX) the loader never descends into. */
export function isSkippedDir(path: string): boolean {
  const slash = path.lastIndexOf('/');
  const base = slash < 0 ? path : path.slice(slash + 1);
  if (SKIPPED_ANYWHERE.has(base)) return true;
  return slash < 0 && SKIPPED_AT_ROOT.has(base);
}

/** True when every document of the file must be a resource. */
export function isResourceFile(path: string, text: string): boolean {
  if (path === REPOSITORY_FILE) return true;
  const slash = path.indexOf('/');
  if (slash > 0 && RESOURCE_DIRS.has(path.slice(0, slash))) return true;
  return DECLARES_RESOURCE.test(text);
}

/** Deterministic, locale-independent path order. */
export function comparePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
