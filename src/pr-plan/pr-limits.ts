/**
 * The bounds of planning one pull request (time, the planner child's memory, fetched and read
 * bytes) and their defaults. A module of its own so that `serve`'s option help can show the
 * defaults without loading the pull-request planner (and through it the engine) at CLI start.
 */
export interface PrLimits {
  /** Fetch and planning each get this long (default 30 s). */
  timeoutMs: number;
  /** Resident memory of the planner child (default 384 MiB). */
  maxRssBytes: number;
  /** Compressed bytes of the pull request's git objects (default 100 MiB). */
  maxFetchBytes: number;
  maxFileBytes: number;
  maxTotalBytes: number;
}

export const DEFAULT_PR_LIMITS: PrLimits = {
  timeoutMs: 30_000,
  maxRssBytes: 384 * 1024 * 1024,
  maxFetchBytes: 100 * 1024 * 1024,
  maxFileBytes: 1024 * 1024,
  maxTotalBytes: 64 * 1024 * 1024,
};
