/**
 * Which plain progress lines to print, and when (pure: the caller brings the clock). One line per
 * event; a step that goes on (an install, an image pull, a verification) is not a spinner but a
 * line every `everyMs` saying how long it has been going: `dev/laptop/memory: still installing
 * (30 s)`. Within one step, the first detail (the first failed verify attempt, the first pull
 * status) is printed as it comes; later ones wait for the next "still" line, which carries the
 * newest of them, so a server that takes 40 attempts to start prints a few lines, not 40.
 */
import { type ProgressEvent, progressText } from '../engine/progress-event.js';

/** How often a step that goes on says so, when nothing else about it was printed. */
export const STILL_EVERY_MS = 15_000;

interface Step {
  ongoing: string;
  since: number;
  lastPrinted: number;
  detailShown: boolean;
  /** The newest detail not printed yet. */
  held?: string;
}

export class ProgressLines {
  private readonly steps = new Map<string, Step>();

  constructor(private readonly everyMs = STILL_EVERY_MS) {}

  /** The lines to print for an event that happened at `now`. */
  event(event: string | ProgressEvent, now: number): string[] {
    if (typeof event === 'string') return [event];
    const where = event.where ?? '';
    const step = this.steps.get(where);
    if (event.ongoing && step?.ongoing === event.ongoing) {
      if (step.detailShown) {
        step.held = event.text;
        return [];
      }
      step.detailShown = true;
      step.lastPrinted = now;
      return [progressText(event)];
    }
    if (event.ongoing)
      this.steps.set(where, { ongoing: event.ongoing, since: now, lastPrinted: now, detailShown: false });
    else this.steps.delete(where);
    return [progressText(event)];
  }

  /** The "still …" lines due at `now`. */
  tick(now: number): string[] {
    const lines: string[] = [];
    for (const [where, step] of this.steps) {
      if (now - step.lastPrinted < this.everyMs) continue;
      const seconds = Math.round((now - step.since) / 1000);
      const still = `still ${step.ongoing} (${seconds} s)${step.held ? `: ${step.held}` : ''}`;
      lines.push(where ? `${where}: ${still}` : still);
      step.lastPrinted = now;
      step.held = undefined;
    }
    return lines;
  }

  /** True while some step goes on (the caller keeps its timer only then). */
  get active(): boolean {
    return this.steps.size > 0;
  }

  /** How long the step at `where` has been going, if one is. */
  elapsed(where: string | undefined, now: number): number | undefined {
    const step = this.steps.get(where ?? '');
    return step ? now - step.since : undefined;
  }
}
