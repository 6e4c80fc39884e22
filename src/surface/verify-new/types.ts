/**
 * What `plan --verify-new` found for each server the plan would create or update: the surface its
 * new spec offers when started in a scratch place, and how that differs from the approved lock.
 * Plain data; the renderers (render-verify-new-*.ts) make text and Markdown of it.
 */
import type { DesiredServer } from '../../core/state.js';
import type { HygieneFinding } from '../hygiene/index.js';
import type { ServerIdentity, SurfaceDiff, ToolSurface } from '../types.js';

/** One new server spec to start: the same spec on several targets is started once. */
export interface VerifyNewCandidate {
  server: string;
  /** The lock version of the new spec (its exact package version, or `unversioned`). */
  version: string;
  /** The version the targets run now, when it differs (a version bump); its lock is the fallback. */
  previousVersion?: string;
  desired: DesiredServer;
  /** `environment/target` of every change that carries this spec, sorted. */
  targets: string[];
}

export type VerifyNewOutcome = 'verified' | 'failed' | 'skipped';

/** Which lock the new surface was compared with. */
export interface ComparedLock {
  file: string;
  version: string;
}

export interface VerifyNewResult {
  server: string;
  version: string;
  previousVersion?: string;
  targets: string[];
  outcome: VerifyNewOutcome;
  /** Why it was skipped or failed (redacted; never text the server chose beyond an error line). */
  reason?: string;
  surface?: ToolSurface;
  identity?: ServerIdentity;
  /** Set when a lock was found: the diff is against it. Absent: the full surface is shown. */
  lock?: ComparedLock;
  diff?: SurfaceDiff;
  /** What the built-in `tool-description-hygiene` policy found in the new surface (absent: nothing). */
  hygiene?: HygieneFinding[];
  durationMs?: number;
}

/** Looks up the approved surface of a server version (`findLock` over the right config). */
export type LockLookup = (
  server: string,
  version: string,
) => { surface: ToolSurface; file: string } | undefined;
