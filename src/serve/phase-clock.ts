/**
 * Where a reconcile's time goes, from marks set around it and the engine's progress lines:
 * fetch → load → lock+reload → observe+plan → apply → verify → report → push. Each mark ends the
 * previous phase; a phase seen twice (two targets) keeps its first start.
 */
import { performance } from 'node:perf_hooks';
import type { ProgressEvent } from '../engine/progress-event.js';

export class PhaseClock {
  private readonly marks: { name: string; at: number }[] = [];

  constructor(private readonly start = performance.now()) {}

  mark(name: string): void {
    if (this.marks.some((m) => m.name === name)) return;
    this.marks.push({ name, at: performance.now() });
  }

  /** Map an engine progress line to its phase mark. */
  progress(event: string | ProgressEvent): void {
    const line = typeof event === 'string' ? event : event.text;
    if (line.startsWith('observing')) this.mark('observe+plan');
    else if (line.startsWith('verif')) this.mark('verify');
    else if (line.startsWith('rolling back')) this.mark('rollback');
    else if (line.startsWith('writing reports')) this.mark('report');
    else if (line.startsWith('pushing')) this.mark('push');
    else if (
      this.marks.some((m) => m.name === 'observe+plan') &&
      !this.marks.some((m) => m.name === 'verify')
    )
      this.mark('apply');
  }

  /** Durations in ms, in order; the last phase ends now. */
  phases(): { name: string; ms: number }[] {
    const end = performance.now();
    return this.marks.map((m, i) => ({ name: m.name, ms: round((this.marks[i + 1]?.at ?? end) - m.at) }));
  }

  elapsedSeconds(): number {
    return (performance.now() - this.start) / 1000;
  }
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
