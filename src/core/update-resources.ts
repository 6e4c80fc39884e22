/**
 * Update automation's config as written (src/updates/): a Server's `spec.updates` and the
 * Repository's `updates` (rules, registries by reference, pull requests). Split from resources.ts,
 * which re-exports it, so that the resource kinds stay readable on their own.
 */
import type { RegistryType } from './resources.js';

export type UpdateAllow = 'none' | 'patch' | 'minor' | 'major';

/** An update policy as written (on a Server's `spec.updates` or a Repository rule). */
export interface UpdatePolicySpec {
  /** Highest kind of bump proposed: patch (1.2.x), minor (1.x), major (any); none turns updates off. */
  allow?: UpdateAllow;
  /** Versions or semver ranges never proposed (`"2.0.0"`, `">=3 <3.2"`). */
  ignore?: string[];
  /** A release younger than this is not proposed yet (`3d`, `12h`, `90m`). */
  minimumReleaseAge?: string;
  /** Servers with the same group are bumped together in one branch and pull request. */
  group?: string;
  /** Cron expression (5 fields, UTC): pull requests are opened only while it matches; listing ignores it. */
  schedule?: string;
  /** The server's entry in the official MCP registry (`io.github.owner/name`): versions come from there. */
  registryEntry?: string;
  /** Include prereleases (1.3.0-rc.1). Default false. */
  prereleases?: boolean;
}

/** A Repository update rule: the policy applies to the servers it matches (later rules win per field). */
export interface UpdateRuleSpec extends UpdatePolicySpec {
  match?: { servers?: string[]; labels?: Record<string, string>; registryTypes?: RegistryType[] };
}

/** A credential or URL given by reference (`env:VAR`, `file:PATH`), never as a value. */
export interface SecretRefField {
  ref: string;
}

export interface RegistryEndpointSpec {
  /** Base URL; default: npm from the user's npm config, https://pypi.org, https://registry.modelcontextprotocol.io. */
  url?: string;
  token?: SecretRefField;
  username?: SecretRefField;
  password?: SecretRefField;
}

export interface OciRegistrySpec extends RegistryEndpointSpec {
  /** Registry host as image references name it (`ghcr.io`, `registry.internal:5000`). */
  host: string;
  /** Speak plain HTTP (a loopback or lab registry). Default false. */
  insecure?: boolean;
}

export interface UpdatePullRequestsSpec {
  /** Branch name template (Handlebars): `update.name`, `update.group`, `update.server`, `update.version`. */
  branch?: string;
  /** Title template, same variables. */
  title?: string;
  labels?: string[];
  /** Base branch of the pull requests; default the Repository's branch. */
  base?: string;
  github?: { repository: string; apiUrl?: string; token?: SecretRefField };
  gitlab?: { project: string; apiUrl?: string; token?: SecretRefField };
}

export interface RepositoryUpdates {
  rules?: UpdateRuleSpec[];
  registries?: {
    npm?: RegistryEndpointSpec;
    pypi?: RegistryEndpointSpec;
    mcp?: RegistryEndpointSpec;
    oci?: OciRegistrySpec[];
  };
  /** Require OCI pins and proposals to carry a digest (`1.2.3@sha256:…`). Default false. */
  requireDigests?: boolean;
  pullRequests?: UpdatePullRequestsSpec;
}
