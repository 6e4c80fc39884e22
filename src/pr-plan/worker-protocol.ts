/** What serve hands the sandboxed planner on stdin, and what it answers on stdout (both JSON). */
import type { BaseView } from './plan-against-base.js';

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
}

export interface WorkerOutput {
  status: 'planned' | 'invalid' | 'validated';
  markdown: string;
  /** Plan counts, for logs and metrics. */
  summary?: Record<string, number>;
}
