/**
 * What only a running process knows, as the views see it: serve's facts (what it tracks, when it
 * last synced, its role) and its last reconciles. `ui --repo` has the facts of a checkout and no
 * reconciles. Kept to ONE facts function (`serveFacts` in render/facts.ts renders it) so other
 * branches can add a line in one place.
 */

import type { ToolsDrift } from '../../surface/types.js';

export interface ServeFacts {
  /** The tracked remote, credentials removed. */
  remote: string;
  branch: string;
  /** ISO time of the last successful sync, when there was one. */
  lastSync?: string;
  /** `serve` (reconciler) or `ui` (read-only viewer of a checkout). */
  role: string;
  synced: boolean;
  /** `serve --leader-elect`: whether this replica leads, who does, and the Lease. */
  leadership?: {
    role: 'leader' | 'follower';
    identity: string;
    leader: string;
    lease: string;
    shard?: string;
  };
}

export interface RecentRun {
  finishedAt: string;
  environment: string;
  trigger: string;
  result: 'ok' | 'failed' | 'error';
  revision: string;
  seconds: number;
}

export interface LiveState {
  facts(): ServeFacts;
  /**
   * How a server's live tool surface differed from its lock at the last reconcile (serve only:
   * the text is never committed, so `ui` and the export cannot know it).
   */
  toolsDrift?(environment: string, target: string, server: string): ToolsDrift | undefined;
  /** Newest first; absent where no reconciles run (`ui`). */
  recent?: RecentRun[];
}

/** A remote URL without user, password, query or fragment: what a page may show of it. */
export function publicRemote(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    u.search = '';
    u.hash = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    // scp-like `git@host:owner/repo.git` or a local path: drop anything before an `@`.
    return url.replace(/^[^@/]*@/, '');
  }
}
