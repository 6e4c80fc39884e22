/**
 * Containers this process is stopping or removing on purpose (an update's swap, a delete), so the
 * death watcher does not report mcp-gitops's own stops as deaths. Marked before the engine is
 * asked (its `die` event can arrive before the answer) and remembered for a minute after. Only
 * this process's own requests are known here: a reconcile run by another process (the CLI while
 * `serve` watches) is seen as a death, and the next observe finds the server as it is.
 */
const REMEMBER_MS = 60_000;
const expected = new Map<string, number>();

/** `ref` is a container id or name; `until` is when the mark lapses (set after the request ends). */
export function expectExit(ref: string, untilMs = Number.POSITIVE_INFINITY): void {
  expected.set(ref, untilMs);
}

/** The request for `ref` is over: keep the mark for a while, then forget it. */
export function settleExpectedExit(ref: string): void {
  expected.set(ref, Date.now() + REMEMBER_MS);
  for (const [key, until] of expected) if (until < Date.now()) expected.delete(key);
}

/** Whether a container that exited (its full id, or its name) was stopped by this process. */
export function exitExpected(id: string, name?: string): boolean {
  const now = Date.now();
  for (const [ref, until] of expected) {
    if (until < now) continue;
    if (ref === id || ref === name || (ref.length >= 12 && id.startsWith(ref))) return true;
  }
  return false;
}
