/**
 * The election loop of one replica: every retry period it reads the Lease, decides
 * (lease-decision.ts) and writes (lease-store.ts) — acquire, renew, or follow — re-reading at
 * once on a 409. A watchdog on our own monotonic clock steps down as soon as the last successful
 * write is older than the renew deadline, even while a request hangs, so a leader stops acting
 * before anyone else may take its lease. It also hands the leader what followers recorded on the
 * Lease (push-requests.ts) and releases the Lease on stop so a successor need not wait for it to
 * expire.
 */
import { performance } from 'node:perf_hooks';
import type { Logger } from '../../log/logger.js';
import { decide, type LeaseTimings, mayAct, recordKey } from './lease-decision.js';
import { LEADER_URL, type LeaseState, type LeaseStore, REQUESTED_REVISION } from './lease-store.js';
import { PushRequests, requestKey, within } from './push-requests.js';

export interface ElectorOptions {
  store: LeaseStore;
  /** `<hostname>_<random>`: unique per process, so a restarted pod is a new candidate. */
  identity: string;
  timings: LeaseTimings;
  /** Where this replica takes forwarded deliveries when it leads (`--leader-elect-advertise-url`). */
  advertiseUrl?: string;
  logger: Logger;
  /** The wall clock for Lease times (default Date.now). */
  now?: () => number;
}

export interface ElectorEvents {
  startedLeading(): void;
  stoppedLeading(why: string): void;
  /** A follower recorded a push for `revision` on the Lease; the leader should fetch and reconcile. */
  requested(revision: string): void;
  /** The holder changed (ours included; `''` when released). */
  holderChanged?(holder: string): void;
}

/** Conflicts in a row before a tick gives up until the next one. */
const ATTEMPTS = 3;

export class LeaderElector {
  private leading = false;
  private renewedAt: number | undefined;
  private holder = '';
  private url: string | undefined;
  private seenRequest: string | undefined;
  /** The Lease record as last read (`recordKey`) and when, by our monotonic clock, it first read so. */
  private seenRecord: string | undefined;
  private seenRecordAt = 0;
  private ticking: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  private events: ElectorEvents | undefined;
  private stopped = false;
  private readonly requests: PushRequests;
  /** Whether the Lease has been read at least once (the replica knows its role). */
  observed = false;

  constructor(private readonly options: ElectorOptions) {
    this.requests = new PushRequests({
      store: options.store,
      deadlineMs: options.timings.renewDeadlineMs,
      leaseDurationSeconds: () => this.durationSeconds(),
      now: () => this.now(),
    });
  }

  get identity(): string {
    return this.options.identity;
  }

  get lease(): string {
    return `${this.options.store.namespace}/${this.options.store.name}`;
  }

  start(events: ElectorEvents): void {
    this.events = events;
    const check = Math.max(50, Math.min(250, this.options.timings.retryPeriodMs / 4));
    this.watchdog = setInterval(() => this.checkDeadline(), check);
    void this.loop();
  }

  isLeader(): boolean {
    return this.leading;
  }

  /** The fence: leading, and the last successful renew is within the renew deadline. */
  mayAct(): boolean {
    if (!this.leading) return false;
    if (mayAct(this.renewedAt, performance.now(), this.options.timings.renewDeadlineMs)) return true;
    this.checkDeadline();
    return false;
  }

  /** The holder as last read (`''`: none). */
  currentHolder(): string {
    return this.holder;
  }

  /** The leader's advertised URL as last read, when it has one and it is not us. */
  leaderUrl(): string | undefined {
    return this.leading ? undefined : this.url;
  }

  /** A follower's push delivery, recorded on the Lease for the leader (push-requests.ts). */
  request(revision: string): Promise<void> {
    return this.requests.request(revision);
  }

  /** Stop electing; a leader releases the Lease (no holder) so a follower takes it at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.watchdog) clearInterval(this.watchdog);
    await this.ticking;
    if (!this.leading) return;
    this.leading = false;
    this.renewedAt = undefined;
    try {
      await this.release();
    } catch (err) {
      this.options.logger.warn({ err: String(err), lease: this.lease }, 'could not release the lease');
    }
  }

  private async loop(): Promise<void> {
    if (this.stopped) return;
    this.ticking = this.tick();
    await this.ticking;
    this.ticking = undefined;
    if (this.stopped) return;
    const period = this.options.timings.retryPeriodMs;
    // Followers jitter (up to +20%) so replicas do not all read and write in the same instant.
    const wait = this.leading ? period : period * (1 + Math.random() * 0.2);
    this.timer = setTimeout(() => void this.loop(), wait);
  }

  private async tick(): Promise<void> {
    const started = performance.now();
    const deadline = this.options.timings.renewDeadlineMs;
    try {
      for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
        const current = await within(this.options.store.read(), deadline, 'reading the Lease');
        this.observe(current);
        const key = recordKey(current?.record);
        if (key !== this.seenRecord) {
          this.seenRecord = key;
          this.seenRecordAt = performance.now();
        }
        const decision = decide({
          lease: current?.record,
          now: this.now(),
          me: this.identity,
          leaseDurationSeconds: this.durationSeconds(),
          unchangedForMs: performance.now() - this.seenRecordAt,
        });
        if (decision.action === 'follow') {
          if (this.leading) this.stepDown(`the Lease is held by ${decision.holder}`);
          return;
        }
        if (this.stopped) return;
        const annotations = { ...(current?.annotations ?? {}) };
        if (this.options.advertiseUrl) annotations[LEADER_URL] = this.options.advertiseUrl;
        else delete annotations[LEADER_URL];
        const written = await within(
          this.options.store.write(current, decision.record, annotations),
          deadline,
          'writing the Lease',
        );
        if (!written.ok) continue;
        this.renewedAt = started;
        this.observe(written.state);
        if (!this.leading) {
          this.leading = true;
          // A new leader reconciles the newest commit anyway: requests made so far are covered.
          this.seenRequest = requestKey(written.state);
          this.options.logger.info(
            { lease: this.lease, identity: this.identity, transitions: decision.record.transitions },
            'leading',
          );
          this.events?.startedLeading();
        } else this.takeRequest(written.state);
        return;
      }
      this.options.logger.info({ lease: this.lease }, 'the Lease kept changing: next try in a retry period');
    } catch (err) {
      this.options.logger.warn({ lease: this.lease, err: String(err) }, 'leader election');
    } finally {
      this.checkDeadline();
    }
  }

  private observe(state: LeaseState | undefined): void {
    this.observed = true;
    const holder = state?.record.holder ?? '';
    this.url = state?.annotations[LEADER_URL];
    if (holder !== this.holder) {
      this.holder = holder;
      this.events?.holderChanged?.(holder);
    }
  }

  private takeRequest(state: LeaseState): void {
    const key = requestKey(state);
    if (key === undefined || key === this.seenRequest) return;
    this.seenRequest = key;
    const revision = state.annotations[REQUESTED_REVISION] ?? '';
    this.options.logger.info({ revision: revision.slice(0, 40) }, 'a follower received a push: reconciling');
    this.events?.requested(revision);
  }

  private checkDeadline(): void {
    if (this.leading && !mayAct(this.renewedAt, performance.now(), this.options.timings.renewDeadlineMs))
      this.stepDown(
        `could not renew the Lease within the renew deadline (${this.options.timings.renewDeadlineMs} ms)`,
      );
  }

  private stepDown(why: string): void {
    this.leading = false;
    this.renewedAt = undefined;
    this.options.logger.warn({ lease: this.lease, identity: this.identity, why }, 'stopped leading');
    this.events?.stoppedLeading(why);
  }

  private async release(): Promise<void> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const current = await this.options.store.read();
      if (!current || current.record.holder !== this.identity) return;
      const now = this.now();
      const annotations = { ...current.annotations };
      delete annotations[LEADER_URL];
      const written = await this.options.store.write(
        current,
        { ...current.record, holder: '', leaseDurationSeconds: 1, acquireTime: now, renewTime: now },
        annotations,
      );
      if (written.ok) {
        this.options.logger.info({ lease: this.lease }, 'released the lease');
        return;
      }
    }
  }

  private durationSeconds(): number {
    return Math.round(this.options.timings.leaseDurationMs / 1000);
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}
