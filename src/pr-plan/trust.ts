/**
 * Who may get a full plan of their pull request. A plan observes targets (as the base branch
 * defines them) and runs the planner on the PR's files, so by default only pull requests from a
 * branch of the repository itself, opened by someone with write access, are planned; the others
 * are validated only (Atlantis draws the same line with --allow-fork-prs and allowlists).
 */
import type { PullRequestPayload } from '../serve/github-events.js';

/** What `serve` does with a pull request: a plan, validation only, or nothing at all. */
export type PrMode = 'plan' | 'validate' | 'ignore';

export interface PrTrustOptions {
  /** What untrusted pull requests get (default `validate`). */
  untrusted: PrMode;
  /** Logins whose pull requests are planned wherever they come from. */
  trustedAuthors?: readonly string[];
}

/** GitHub's author_association values of people with write access to the repository. */
const WRITERS = new Set(['OWNER', 'MEMBER', 'COLLABORATOR']);

export function prMode(pr: PullRequestPayload, options: PrTrustOptions): { mode: PrMode; why?: string } {
  const p = pr.pull_request;
  const login = p.user?.login;
  if (login && options.trustedAuthors?.some((a) => a.toLowerCase() === login.toLowerCase()))
    return { mode: 'plan' };
  const baseRepo = (p.base.repo?.full_name ?? pr.repository.full_name ?? '').toLowerCase();
  const headRepo = (p.head.repo?.full_name ?? '').toLowerCase();
  const fromFork = headRepo === '' || headRepo !== baseRepo;
  const writer = WRITERS.has(p.author_association ?? '');
  if (!fromFork && writer) return { mode: 'plan' };
  const why = fromFork
    ? 'it comes from a fork'
    : `its author${login ? ` @${login}` : ''} has no write access to the repository`;
  return { mode: options.untrusted, why };
}

/**
 * Whether a pull request's changed servers may be started to show their new tool surface. That
 * runs the pull request's server code (a package version it names, a command it sets) on the
 * reconciler, so it takes more than a plan does: the author must be named in
 * `--trusted-pr-authors`. Write access alone is not enough; a fork never is.
 */
export function verifiesNewServers(
  pr: PullRequestPayload,
  options: PrTrustOptions,
): { verify: true } | { verify: false; why: string } {
  const login = pr.pull_request.user?.login;
  if (login && options.trustedAuthors?.some((a) => a.toLowerCase() === login.toLowerCase()))
    return { verify: true };
  return {
    verify: false,
    why: `its author${login ? ` @${login}` : ''} is not trusted to run server code here (\`serve --trusted-pr-authors\`)`,
  };
}
