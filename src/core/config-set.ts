/**
 * The loader's output: every document of the config repo, parsed, with a way back to its source
 * position. Validation consumes this; resolution consumes it once it is valid.
 */
import type {
  EnvironmentResource,
  HookResource,
  Kind,
  PolicyResource,
  RepositoryResource,
  ServerResource,
} from './resources.js';

export interface SourceLocation {
  /** Repo-relative, POSIX separators. */
  file: string;
  line: number;
  col: number;
}

/** Where the YAML was read from. */
export type SourceKind = 'worktree' | 'index' | 'revision';

export interface SourceFile {
  path: string;
  text: string;
  /** The blob's id, when read from git: what the uncommitted-config check compares with the index. */
  oid?: string;
}

/** One YAML document, parsed. `value` is plain JSON-compatible data. */
export interface LoadedDocument<T = unknown> {
  file: string;
  /** 0-based index of the document within its file. */
  index: number;
  kind: Kind | string;
  name: string;
  value: T;
  /** Location of the node at `path` (keys / indexes from the document root); falls back to the nearest ancestor. */
  locate(path: readonly (string | number)[], which?: 'key' | 'value'): SourceLocation;
}

export interface ConfigSet {
  /** Absolute path of the config repo's work tree. */
  root: string;
  source: SourceKind;
  /** Commit oid for `revision`; undefined for worktree / index. */
  revision?: string;
  files: SourceFile[];
  documents: LoadedDocument[];
  repository?: LoadedDocument<RepositoryResource>;
  servers: LoadedDocument<ServerResource>[];
  environments: LoadedDocument<EnvironmentResource>[];
  policies: LoadedDocument<PolicyResource>[];
  hooks: LoadedDocument<HookResource>[];
}
