/**
 * Update automation's plain data, shared by its layers:
 *   sources/        ask a registry which versions of a package exist (npm, PyPI, OCI, MCP registry)
 *   policy/         pure: which of them a server's update policy allows, and why the others are held
 *   find-updates.ts one run over the config: every server's pinned version and its allowed updates
 *   pull-requests/  a branch, a commit and a pull request per update or group (GitHub, GitLab)
 * Nothing here holds a credential: sources get them resolved in `RegistryAccess`, and every text
 * that leaves the process (reports, PR bodies, logs) is built from these types, which never do.
 */
import type { RegistryType, UpdateAllow } from '../core/resources.js';

/** Where versions come from: a package registry, or the official MCP registry's versions API. */
export type SourceKind = RegistryType | 'mcp';

/** One published version as a registry describes it. */
export interface Release {
  /** The version as it would be pinned (`1.4.2`; an OCI tag). */
  version: string;
  /** When it was published (ISO 8601), when the registry says. */
  publishedAt?: string;
  /** OCI: the manifest digest the tag points at (`sha256:…`). */
  digest?: string;
  /** The registry marks it deprecated or yanked: never proposed. */
  withdrawn?: boolean;
  /** A link a reviewer can open (release notes, registry page); https only. */
  url?: string;
}

/** Credentials and endpoint for one source, resolved from references just before use. */
export interface RegistryAccess {
  /** Base URL with no credentials in it. */
  url: string;
  token?: string;
  username?: string;
  password?: string;
  /** OCI: plain HTTP. */
  insecure?: boolean;
}

/** What to look up. */
export interface VersionQuery {
  kind: SourceKind;
  /** Package name, image reference without tag, or MCP registry entry name. */
  identifier: string;
  /** The pinned version (OCI: may be `tag@sha256:…` or `sha256:…`). */
  current: string;
  /** MCP registry: only versions updated after this time (ISO 8601). */
  updatedSince?: string;
}

export interface SourceContext {
  access: RegistryAccess;
  signal: AbortSignal;
  /** Counts every HTTP request made (for the bench and the run summary). */
  countRequest: () => void;
}

/** A registry's answer. Errors are thrown as `UpdateSourceError` with a message safe to print. */
export interface VersionListing {
  /** The registry as a person would name it: origin only, never credentials or query strings. */
  registry: string;
  releases: Release[];
  /** OCI: the digest the pinned tag points at now (a moved tag is worth a warning). */
  currentDigest?: string;
}

export interface VersionSource {
  kind: SourceKind;
  list(query: VersionQuery, context: SourceContext): Promise<VersionListing>;
}

/** The effective policy of one server after rules and its own `spec.updates` are merged. */
export interface UpdatePolicy {
  allow: UpdateAllow;
  ignore: string[];
  /** Milliseconds; 0 when unset. */
  minimumReleaseAgeMs: number;
  group?: string;
  schedule?: string;
  registryEntry?: string;
  prereleases: boolean;
  requireDigest: boolean;
}

/** A newer version that is not proposed, and why (for people: `too young (published 5 h ago; minimum 3d)`). */
export interface HeldRelease {
  version: string;
  reason: 'ignored' | 'too-young' | 'not-allowed' | 'withdrawn' | 'prerelease' | 'no-digest';
  detail: string;
}

/** Where the pinned version is written, so a bump edits exactly that YAML scalar. */
export interface VersionLocation {
  /** Repo-relative file. */
  file: string;
  /** 1-based line of the version scalar. */
  line: number;
  /** Which document path holds it, e.g. `spec.package.version` or `spec.servers[2].overrides.package.version`. */
  path: (string | number)[];
}

/** One server's answer (per environment when the environment pins its own version). */
export interface ServerUpdates {
  server: string;
  /** Environments that run this pin, sorted. */
  environments: string[];
  /** `environment/target` of every target that runs it, sorted. */
  targets: string[];
  kind: SourceKind;
  identifier: string;
  current: string;
  location?: VersionLocation;
  policy: UpdatePolicy;
  /** The registry asked (origin only). */
  registry?: string;
  /** Newer versions the policy allows, newest first; the first is the one proposed. */
  allowed: Release[];
  held: HeldRelease[];
  /** Why this server could not be checked (registry down, garbage, unknown package). Others go on. */
  error?: string;
  /** Why it is not checked at all (allow: none, a command or remote server). */
  skipped?: string;
  /** The proposal, when there is one (allowed[0], and its digest when digests are required). */
  proposed?: Release & { pin: string };
  /** OCI: the pinned tag now points at another digest than the pin says. */
  warnings?: string[];
}

export interface UpdatesReport {
  /** Config revision read (commit oid), or `worktree`. */
  revision: string;
  checkedAt: string;
  servers: ServerUpdates[];
  /** HTTP requests made to registries. */
  requests: number;
  durationMs: number;
}

/** One pull request's worth: a single update, or every update of a group. */
export interface UpdateChange {
  /** The group name, or the server name for a single update. */
  name: string;
  group?: string;
  updates: ServerUpdates[];
}

/** What `updates --open-prs` did for one change. */
export interface PullRequestOutcome {
  name: string;
  branch: string;
  /** opened/updated: a PR was created or its branch and body refreshed; unchanged: it already said this. */
  action: 'opened' | 'updated' | 'unchanged' | 'closed-before' | 'outside-schedule' | 'failed';
  /** The version(s) proposed, `server@version` sorted. */
  versions: string[];
  number?: number;
  url?: string;
  /** Why it failed or was skipped (safe to print: no credentials, no server-chosen text). */
  detail?: string;
}
