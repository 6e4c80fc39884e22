/**
 * The steady loop's clock: calls `tick` every `intervalMs`, each wait jittered by ±`jitter` (so a
 * fleet of reconcilers started together does not hit shared hosts in step), never two ticks at
 * once (the next wait starts when a tick ends), and `kick()` runs one now — for an event such as
 * a container's death — without waiting for the interval. Timers are unref'd: the loop never keeps
 * a process alive by itself.
 */
export interface SteadyTimer {
  /** Run a tick as soon as the running one (if any) ends. */
  kick(): void;
  stop(): Promise<void>;
}

export interface SteadyTimerOptions {
  intervalMs: number;
  /** Fraction of the interval each wait may move by, 0..0.5 (default 0.1). */
  jitter?: number;
  tick: () => Promise<void>;
  onError?: (err: unknown) => void;
  /** For tests: the random source (default Math.random). */
  random?: () => number;
}

export function startSteadyTimer(options: SteadyTimerOptions): SteadyTimer {
  const jitter = Math.min(Math.max(options.jitter ?? 0.1, 0), 0.5);
  const random = options.random ?? Math.random;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;

  const schedule = () => {
    if (stopped) return;
    const wait = options.intervalMs * (1 + jitter * (2 * random() - 1));
    timer = setTimeout(run, Math.max(0, wait));
    timer.unref();
  };
  const run = () => {
    if (stopped) return;
    clearTimeout(timer);
    if (running) {
      again = true;
      return;
    }
    running = options
      .tick()
      .catch((err: unknown) => options.onError?.(err))
      .finally(() => {
        running = undefined;
        if (again && !stopped) {
          again = false;
          run();
        } else schedule();
      });
  };
  schedule();
  return {
    kick: run,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
