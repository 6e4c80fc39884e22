/**
 * `serve`'s options for pull requests: who gets a plan, and the limits of the sandbox that makes
 * it (docs/security.md). Kept beside serve.ts so that file stays about the HTTP endpoint.
 */
import type { Command } from 'commander';
import { McpGitopsError } from '../../core/errors.js';
import { DEFAULT_PR_LIMITS, type PrLimits } from '../../pr-plan/pr-limits.js';
import type { PrMode, PrTrustOptions } from '../../pr-plan/trust.js';
import { parseBytes, showBytes, showDuration } from '../parse-bytes.js';
import { parseDuration } from '../parse-duration.js';

export interface PullRequestFlags {
  untrustedPrs: string;
  trustedPrAuthors?: string[];
  prTimeout: string;
  prMaxMemory: string;
  prMaxFetch: string;
}

const MODES: readonly PrMode[] = ['validate', 'plan', 'ignore'];

export function addPullRequestOptions(command: Command): Command {
  return command
    .option(
      '--untrusted-prs <mode>',
      'pull requests from forks or from authors without write access: validate (only), plan, or ignore',
      'validate',
    )
    .option('--trusted-pr-authors <login...>', 'GitHub logins whose pull requests are always planned')
    .option(
      '--pr-timeout <duration>',
      "a pull request's fetch, and then its planning, each stop after this",
      showDuration(DEFAULT_PR_LIMITS.timeoutMs),
    )
    .option(
      '--pr-max-memory <bytes>',
      "resident memory of a pull request's sandboxed planner",
      showBytes(DEFAULT_PR_LIMITS.maxRssBytes),
    )
    .option(
      '--pr-max-fetch <bytes>',
      "compressed size of a pull request's git objects",
      showBytes(DEFAULT_PR_LIMITS.maxFetchBytes),
    );
}

export function pullRequestSettings(flags: PullRequestFlags): {
  trust: PrTrustOptions;
  limits: Partial<PrLimits>;
} {
  const mode = flags.untrustedPrs as PrMode;
  if (!MODES.includes(mode)) {
    throw new McpGitopsError(
      'ERR_USAGE',
      `--untrusted-prs ${flags.untrustedPrs} is not one of ${MODES.join(', ')}`,
      {
        hint: 'validate (default) checks their files only; plan also observes targets as the base defines them',
      },
    );
  }
  return {
    trust: { untrusted: mode, trustedAuthors: flags.trustedPrAuthors ?? [] },
    limits: {
      timeoutMs: parseDuration(flags.prTimeout, '--pr-timeout'),
      maxRssBytes: parseBytes(flags.prMaxMemory, '--pr-max-memory'),
      maxFetchBytes: parseBytes(flags.prMaxFetch, '--pr-max-fetch'),
    },
  };
}
