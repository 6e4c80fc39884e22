/**
 * The leader election's decisions, as data: given the Lease as read (or none), the time and who
 * we are, what to write (acquire, renew) or whether to follow; and, from our own clock, whether a
 * leader may still act. No I/O here, so every edge (expired, released, ours, someone else's) is a
 * unit test; lease-store.ts and leader-elector.ts do the API calls and the timing.
 *
 * Modelled on client-go's leaderelection (learned from, not copied): a Lease is free when it has
 * no holder (released) or when it has read the same (holder, times, transitions) for its
 * `leaseDurationSeconds` by OUR monotonic clock — the holder's `renewTime` is never compared with
 * our wall clock, so a node whose clock runs ahead cannot take a live lease early. Taking it over
 * from anyone else counts a transition; a leader that could not renew for `renewDeadline` stops
 * acting while its lease is still valid, so two replicas never act at once whatever the nodes'
 * clocks say (only their rates must roughly agree).
 */

/** A Lease's spec in milliseconds since the epoch (the API's MicroTime, parsed). */
export interface LeaseRecord {
  /** `''`: nobody (never held, or released). */
  holder: string;
  leaseDurationSeconds: number;
  acquireTime?: number;
  renewTime?: number;
  transitions: number;
}

export type LeaseDecision =
  /** Take the lease: it is absent, released or expired. `record` is what to write. */
  | { action: 'acquire'; record: LeaseRecord }
  /** It is ours: write the new renew time. */
  | { action: 'renew'; record: LeaseRecord }
  /** Someone else holds a valid lease; unless it is renewed, it lapses for us in `expiresInMs`. */
  | { action: 'follow'; holder: string; expiresInMs: number };

export interface DecideInput {
  /** The Lease's spec as read; undefined when the Lease does not exist. */
  lease: LeaseRecord | undefined;
  now: number;
  /** Our identity (`<hostname>_<random>`). */
  me: string;
  leaseDurationSeconds: number;
  /**
   * How long, by our monotonic clock, the Lease has read exactly as it does now (same
   * `recordKey`); 0 on the first read of this record. Expiry is measured by this, not by the
   * holder's `renewTime`.
   */
  unchangedForMs: number;
}

export function decide({ lease, now, me, leaseDurationSeconds, unchangedForMs }: DecideInput): LeaseDecision {
  if (!lease)
    return {
      action: 'acquire',
      record: { holder: me, leaseDurationSeconds, acquireTime: now, renewTime: now, transitions: 0 },
    };
  if (lease.holder === me)
    return {
      action: 'renew',
      record: {
        ...lease,
        leaseDurationSeconds,
        acquireTime: lease.acquireTime ?? now,
        renewTime: now,
      },
    };
  const expiresInMs = lease.leaseDurationSeconds * 1000 - unchangedForMs;
  if (lease.holder === '' || expiresInMs < 0)
    return {
      action: 'acquire',
      record: {
        holder: me,
        leaseDurationSeconds,
        acquireTime: now,
        renewTime: now,
        transitions: lease.transitions + 1,
      },
    };
  return { action: 'follow', holder: lease.holder, expiresInMs };
}

/**
 * What identifies one renewal of a Lease: a change of any of these is the holder (or a new one)
 * writing it. Annotations are left out on purpose — a follower recording a push on the Lease
 * must not keep a dead leader's lease alive.
 */
export function recordKey(lease: LeaseRecord | undefined): string {
  if (!lease) return '';
  return [
    lease.holder,
    lease.leaseDurationSeconds,
    lease.acquireTime ?? '',
    lease.renewTime ?? '',
    lease.transitions,
  ].join('|');
}

/**
 * Whether a leader may act now: its last successful write started at `renewedAt` (our monotonic
 * clock, taken BEFORE the request, so the lease it wrote is at least that fresh) and less than
 * `renewDeadlineMs` has passed since. Past that it must stop, well before the lease it wrote
 * expires at `renewedAt + leaseDuration` for everyone else.
 */
export function mayAct(renewedAt: number | undefined, now: number, renewDeadlineMs: number): boolean {
  return renewedAt !== undefined && now - renewedAt < renewDeadlineMs;
}

/** The timings, checked together: a renew deadline at or past the lease duration would let two act. */
export interface LeaseTimings {
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
}

/** Why these timings are unsafe, or undefined when they are fine (client-go's own checks). */
export function timingProblem(t: LeaseTimings): string | undefined {
  if (t.leaseDurationMs < 1000 || t.leaseDurationMs % 1000 !== 0)
    return '--lease-duration must be whole seconds, at least 1s (a Lease counts whole seconds)';
  if (t.renewDeadlineMs >= t.leaseDurationMs)
    return '--renew-deadline must be shorter than --lease-duration: a leader stops acting before its lease can expire';
  if (t.retryPeriodMs * 1.2 >= t.renewDeadlineMs)
    return '--retry-period must be well under --renew-deadline (x1.2): a leader needs more than one try to renew';
  if (t.retryPeriodMs < 100) return '--retry-period must be at least 100ms';
  return undefined;
}
