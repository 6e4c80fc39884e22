/**
 * `plan --verify-new`: start each server spec a plan would create or update in a scratch place,
 * take its tool surface over MCP, and show it against the approved lock. One entry point for the
 * CLI and for a trusted pull request's sandboxed planner.
 */

export { DEFAULT_VERIFY_NEW_SERVER_MS, DEFAULT_VERIFY_NEW_TOTAL_MS } from './limits.js';
export { renderVerifyNewMarkdown, renderVerifyNewText } from './render-verify-new.js';
export { selectCandidates } from './select-candidates.js';
export type { LockLookup, VerifyNewCandidate, VerifyNewResult } from './types.js';
export { type VerifyNewOptions, verifyNew } from './verify-new.js';
export { verifyPlan } from './verify-plan.js';
