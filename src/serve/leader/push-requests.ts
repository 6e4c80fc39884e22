/**
 * What a follower tells the leader: a push delivery it received, written as annotations on the
 * Lease (the one object every replica reads each retry period, so no extra RBAC or object).
 * Requests made while one is being written are coalesced into one more write of the newest (the
 * leader fetches the branch head anyway). A 409 is re-read and retried with a little jitter until
 * the renew deadline; then `request` throws, so the delivery is answered as failed rather than
 * silently dropped. Annotations are not part of the Lease record, so a recorded push never counts
 * as a renewal (lease-decision.ts `recordKey`).
 */
import { performance } from 'node:perf_hooks';
import type { LeaseRecord } from './lease-decision.js';
import { type LeaseState, type LeaseStore, REQUESTED_AT, REQUESTED_REVISION } from './lease-store.js';

export interface PushRequestOptions {
  store: LeaseStore;
  /** How long one request may keep trying (the renew deadline). */
  deadlineMs: number;
  /** For a Lease that does not exist yet: the record written with the request. */
  leaseDurationSeconds: () => number;
  /** The wall clock for the request's time (Date.now unless a test says otherwise). */
  now: () => number;
}

export class PushRequests {
  private writing: Promise<void> | undefined;
  private queued: { revision: string; done: Promise<void> } | undefined;

  constructor(private readonly options: PushRequestOptions) {}

  request(revision: string): Promise<void> {
    if (!this.writing) {
      this.writing = this.record(revision).finally(() => {
        this.writing = undefined;
      });
      return this.writing;
    }
    if (this.queued) {
      this.queued.revision = revision;
      return this.queued.done;
    }
    const queued = { revision, done: Promise.resolve() };
    queued.done = (this.writing as Promise<void>)
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        return this.request(queued.revision);
      });
    this.queued = queued;
    return queued.done;
  }

  private async record(revision: string): Promise<void> {
    const { store, deadlineMs } = this.options;
    const until = performance.now() + deadlineMs;
    for (let attempt = 1; ; attempt++) {
      const current = await within(store.read(), deadlineMs, 'reading the Lease');
      const annotations = {
        ...(current?.annotations ?? {}),
        [REQUESTED_REVISION]: revision,
        [REQUESTED_AT]: new Date(this.options.now()).toISOString(),
      };
      const record: LeaseRecord = current?.record ?? {
        holder: '',
        leaseDurationSeconds: this.options.leaseDurationSeconds(),
        transitions: 0,
      };
      const written = await within(
        store.write(current, record, annotations),
        deadlineMs,
        'writing the Lease',
      );
      if (written.ok) return;
      if (performance.now() > until)
        throw new Error(
          `Lease ${store.namespace}/${store.name} kept changing while a request was recorded (${attempt} conflicts)`,
        );
      await new Promise((r) => setTimeout(r, Math.random() * 25 * Math.min(attempt, 8)));
    }
  }
}

/** What identifies one recorded request on a Lease (its time and revision), or undefined: none. */
export function requestKey(state: LeaseState): string | undefined {
  const at = state.annotations[REQUESTED_AT];
  return at === undefined ? undefined : `${at} ${state.annotations[REQUESTED_REVISION] ?? ''}`;
}

/** `promise`, or a rejection after `ms` (the request itself may still finish; its answer is ignored). */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
