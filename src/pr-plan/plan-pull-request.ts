/**
 * A pull request's plan across the trust boundary (DESIGN.md §7). The pull request's files are
 * untrusted: they are fetched into a scratch repository of their own with bounded git, then
 * validated, resolved and planned in a child process that has no credentials, a wall-clock limit
 * and a memory cap. Only this side (trusted) touches targets, and only as the base branch defines
 * them. Hooks never run. The outcome is always a comment: the plan, or what was refused and why.
 */
import type { EngineDeps } from '../engine/types.js';
import { binScript } from '../init/product-paths.js';
import type { Logger } from '../log/logger.js';
import { redactor } from '../log/redact.js';
import type { PullRequestPayload } from '../serve/github-events.js';
import { fetchPullHead, mib, removeScratch, scratchDir, seconds } from './fetch-pull-head.js';
import { baseSurfacesOf, observeBase } from './observe-base.js';
import type { PrLimits } from './pr-limits.js';
import { refusedComment } from './render-pr-comment.js';
import { runBounded } from './run-bounded.js';
import { type PrTrustOptions, prMode, verifiesNewServers } from './trust.js';
import type { WorkerInput, WorkerOutput, WorkerSurfaces } from './worker-protocol.js';

export { DEFAULT_PR_LIMITS, type PrLimits } from './pr-limits.js';

export interface PlanPullRequestInput {
  pr: PullRequestPayload;
  /** The remote to fetch `refs/pull/N/head` from, and its token. */
  url: string;
  token?: string;
  /** serve's cache checkout of the base branch (trusted). */
  baseDir: string;
  stateDir: string;
  trust: PrTrustOptions;
  limits: PrLimits;
  logger: Logger;
  deps?: Partial<EngineDeps>;
}

export interface PrPlanOutcome {
  /** What the comment says: planned, invalid, validated, refused, or ignored (no comment). */
  status: WorkerOutput['status'] | 'refused' | 'ignored';
  markdown?: string;
  head?: string;
  /** How the sandboxed planner ended and what it used. */
  sandbox?: { ms: number; peakRssBytes: number };
  /** Where the time went: fetching the head, observing the base, the sandboxed planner. */
  timings?: { fetchMs: number; baseMs?: number; sandboxMs?: number };
}

export async function planPullRequest(input: PlanPullRequestInput): Promise<PrPlanOutcome> {
  const { pr, limits, logger } = input;
  const trust = prMode(pr, input.trust);
  if (trust.mode === 'ignore') {
    logger.info({ pr: pr.number, why: trust.why }, 'pull request not planned');
    return { status: 'ignored' };
  }
  const dir = scratchDir(input.stateDir, pr.number);
  try {
    const fetched = await fetchPullHead({
      url: input.url,
      token: input.token,
      number: pr.number,
      dir,
      limits: { timeoutMs: limits.timeoutMs, maxPackBytes: limits.maxFetchBytes },
    });
    if (!fetched.ok) {
      logger.warn(
        { pr: pr.number, refusal: fetched.refusal, why: fetched.message },
        'pull request not fetched',
      );
      const what =
        fetched.refusal === 'failed'
          ? 'the pull request could not be fetched'
          : 'the pull request is too large to fetch';
      return {
        status: 'refused',
        markdown: refusedComment(undefined, what, `${capitalize(fetched.message)}.`),
      };
    }
    const head = fetched.head;
    const baseStarted = Date.now();
    const base =
      trust.mode === 'plan' ? await observeBase(input.baseDir, { logger, ...input.deps }) : undefined;
    const surfaces = await prSurfaces(input, trust.mode);
    const timings = { fetchMs: fetched.ms, baseMs: Date.now() - baseStarted, sandboxMs: 0 };
    const workerInput: WorkerInput = {
      repoDir: dir,
      head,
      mode: trust.mode,
      ...(trust.why ? { why: trust.why } : {}),
      ...(base ? { base } : {}),
      maxFileBytes: limits.maxFileBytes,
      maxTotalBytes: limits.maxTotalBytes,
      ...(surfaces ? { surfaces } : {}),
    };
    const heapMiB = Math.max(64, Math.floor((limits.maxRssBytes * 2) / 3 / 1024 / 1024));
    const run = await runBounded(
      process.execPath,
      [`--max-old-space-size=${heapMiB}`, binScript(), '__plan-pull-request'],
      {
        env: sandboxEnv(dir),
        cwd: dir,
        input: JSON.stringify(workerInput),
        limits: {
          timeoutMs: limits.timeoutMs,
          maxRssBytes: limits.maxRssBytes,
          maxStdoutBytes: 4 * 1024 * 1024,
        },
      },
    );
    const sandbox = { ms: run.ms, peakRssBytes: run.peakRssBytes };
    timings.sandboxMs = run.ms;
    logger.info({ pr: pr.number, head, end: run.end, ...sandbox }, 'pull request planner finished');
    const refuse = (what: string, why: string): PrPlanOutcome => ({
      status: 'refused',
      head,
      sandbox,
      timings,
      markdown: refusedComment(head, what, why),
    });
    switch (run.end.kind) {
      case 'timeout':
        return refuse('planning took too long', `It was stopped after ${seconds(limits.timeoutMs)}.`);
      case 'memory':
        return refuse(
          'planning needed too much memory',
          `It was stopped at ${mib(run.end.rssBytes)}, over the limit of ${mib(limits.maxRssBytes)}.`,
        );
      case 'output':
        return refuse('the plan is too large', 'The planner wrote more than 4 MiB.');
      case 'exited':
        if (run.end.code === 0) break;
        return refuse(
          'the plan could not be made',
          `The planner stopped: ${redactor.redact(firstLine(run.stderr))}`,
        );
      default:
        return refuse('the plan could not be made', `The planner stopped (${run.end.kind}).`);
    }
    const output = parseOutput(run.stdout);
    if (!output) return refuse('the plan could not be made', 'The planner gave no readable answer.');
    return { status: output.status, markdown: output.markdown, head, sandbox, timings };
  } finally {
    removeScratch(dir);
  }
}

/**
 * What the planner does about changed servers' tool surfaces: a trusted author's are started in
 * scratch places inside the bounded child, with half its time (the other half plans); anyone
 * else's are only named as not verified. Both are compared with the base branch's locks.
 */
async function prSurfaces(
  input: PlanPullRequestInput,
  mode: 'plan' | 'validate',
): Promise<WorkerSurfaces | undefined> {
  const base = await baseSurfacesOf(input.baseDir, { logger: input.logger, ...input.deps });
  const decision = verifiesNewServers(input.pr, input.trust);
  if (decision.verify && mode === 'plan') {
    const totalMs = Math.floor(input.limits.timeoutMs / 2);
    return { verify: { perServerMs: totalMs, totalMs }, ...(base ? { base } : {}) };
  }
  return { why: decision.verify ? 'it was not planned' : decision.why, ...(base ? { base } : {}) };
}

/**
 * The child's whole environment: no tokens, no ssh agent, no cloud credentials. HOME and
 * MCP_GITOPS_HOME are kept so that `~/` in the pull request's servers renders as it would on merge.
 */
function sandboxEnv(dir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, LANG: 'C.UTF-8', TMPDIR: dir };
  for (const name of ['HOME', 'MCP_GITOPS_HOME', 'MCP_GITOPS_USE_DIST'])
    if (process.env[name] !== undefined) env[name] = process.env[name];
  return env;
}

function parseOutput(stdout: Buffer): WorkerOutput | undefined {
  try {
    const parsed = JSON.parse(stdout.toString('utf8')) as Partial<WorkerOutput>;
    if (
      typeof parsed.markdown !== 'string' ||
      !['planned', 'invalid', 'validated'].includes(parsed.status ?? '')
    )
      return undefined;
    return parsed as WorkerOutput;
  } catch {
    return undefined;
  }
}

function firstLine(text: string): string {
  return (text.split('\n').find((l) => l.trim() !== '') ?? 'no message').trim().slice(0, 300);
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
