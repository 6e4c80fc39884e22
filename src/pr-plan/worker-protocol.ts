/** What serve hands the sandboxed planner on stdin, and what it answers on stdout (both JSON). */
import type { BaseSurfaces } from './base-surfaces.js';
import type { BaseView } from './plan-against-base.js';

/** What the planner does about the tool surfaces of servers the pull request changes. */
export interface WorkerSurfaces {
  /** Set for a trusted author: start each changed server in a scratch place, within these limits. */
  verify?: { perServerMs: number; totalMs: number };
  /** Why they are not started (shown in the comment), when `verify` is absent. */
  why?: string;
  /** The base branch's versions and locks: what new surfaces are compared with. */
  base?: BaseSurfaces;
}

export interface WorkerInput {
  /** The scratch repository holding the pull request's head (and nothing else of value). */
  repoDir: string;
  head: string;
  mode: 'plan' | 'validate';
  /** Why a validate-only pull request is not planned (shown in the comment). */
  why?: string;
  /** The trusted side's view of the base branch (mode `plan`). */
  base?: BaseView;
  maxFileBytes: number;
  maxTotalBytes: number;
  surfaces?: WorkerSurfaces;
}

export interface WorkerOutput {
  status: 'planned' | 'invalid' | 'validated';
  markdown: string;
  /** Plan counts, for logs and metrics. */
  summary?: Record<string, number>;
}
