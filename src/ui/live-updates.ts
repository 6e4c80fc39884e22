/**
 * Turns "the reports may have changed" (serve: a reconcile finished; `ui`: a file changed) into
 * live updates: the reports are read again (cheap: cached by mtime), compared with the last
 * reading, health changes are logged for the server pages and each changed environment and kind
 * is pushed to the SSE clients once.
 */
import { compare, type Fingerprint, fingerprint, type Update } from './model/health-log.js';
import type { UiSite } from './site.js';
import type { SseHub } from './sse.js';

export class LiveUpdates {
  private last: Fingerprint;

  constructor(
    private readonly site: UiSite,
    private readonly hub: SseHub,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.last = fingerprint(site.reports.read().reports);
  }

  /** Read again, log and push what changed; `also` are pushed even when the reports did not move. */
  check(also: readonly Update[] = []): Update[] {
    const next = fingerprint(this.site.reports.read().reports);
    const { updates, health } = compare(this.last, next);
    this.last = next;
    const at = this.now().toISOString();
    for (const [key, change] of health) this.site.healthLog.record(key, { at, ...change });
    const out = [...updates];
    for (const u of also) if (!out.some((o) => o.kind === u.kind && o.env === u.env)) out.push(u);
    for (const u of out) this.hub.broadcast(u);
    return out;
  }
}
