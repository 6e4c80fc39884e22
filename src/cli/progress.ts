/**
 * Progress for long work (DESIGN.md §5): on a TTY one line rewritten in place, with how long the
 * current step has been going; otherwise (a pipe, a file, CI) plain lines on stderr, one per event,
 * and a "still installing (30 s)" line every ~15 s while a step goes on (progress-lines.ts).
 * Nothing when quiet. Every line passes the redactor, and control characters (escape sequences
 * from a target's text) are replaced, so a line cannot move the cursor or recolour the terminal.
 */
import type { ProgressEvent } from '../engine/progress-event.js';
import { progressText } from '../engine/progress-event.js';
import { redactor } from '../log/redact.js';
import { ProgressLines, STILL_EVERY_MS } from './progress-lines.js';

export interface Progress {
  update(event: string | ProgressEvent): void;
  /** Stop the timer and clear the updating line (TTY) before normal output continues. */
  done(): void;
}

export interface ProgressOptions {
  stream?: NodeJS.WriteStream;
  env?: NodeJS.ProcessEnv;
  quiet?: boolean;
  /** How often a step that goes on says so without a TTY (tests shorten it). */
  everyMs?: number;
}

/** A TTY line shows the step's time once it has gone on this long. */
const SHOW_ELAPSED_AFTER_MS = 2000;

export function createProgress(options: ProgressOptions = {}): Progress {
  const stream = options.stream ?? process.stderr;
  const env = options.env ?? process.env;
  if (options.quiet) return { update() {}, done() {} };
  const ci = Boolean(env.CI && env.CI !== 'false');
  return stream.isTTY && !ci ? ttyProgress(stream) : plainProgress(stream, options.everyMs ?? STILL_EVERY_MS);
}

/** What may be shown of a line: redacted, on one line, with no control characters. */
export function safeLine(text: string): string {
  return redactor.redact(text).replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ');
}

function plainProgress(stream: NodeJS.WriteStream, everyMs: number): Progress {
  const lines = new ProgressLines(everyMs);
  let timer: NodeJS.Timeout | undefined;
  const print = (out: string[]) => {
    for (const line of out) stream.write(`${safeLine(line)}\n`);
  };
  const schedule = () => {
    if (lines.active && !timer) {
      timer = setInterval(
        () => {
          print(lines.tick(Date.now()));
          if (!lines.active) stop();
        },
        Math.min(1000, everyMs),
      );
      timer.unref();
    } else if (!lines.active) stop();
  };
  const stop = () => {
    if (timer) clearInterval(timer);
    timer = undefined;
  };
  return {
    update(event) {
      print(lines.event(event, Date.now()));
      schedule();
    },
    done: stop,
  };
}

function ttyProgress(stream: NodeJS.WriteStream): Progress {
  const steps = new ProgressLines();
  let current: { text: string; where?: string } | undefined;
  let shown = false;
  let timer: NodeJS.Timeout | undefined;
  const draw = () => {
    if (!current) return;
    const elapsed = steps.elapsed(current.where, Date.now());
    const time =
      elapsed !== undefined && elapsed >= SHOW_ELAPSED_AFTER_MS ? ` (${Math.round(elapsed / 1000)} s)` : '';
    // A terminal that does not say its width (0) is taken as 80 columns; the time is always shown.
    const width = Math.max(20, (stream.columns || 80) - 1) - time.length;
    const line = `… ${safeLine(current.text)}`;
    stream.write(`\r\x1b[2K${line.length > width ? `${line.slice(0, width - 1)}…` : line}${time}`);
    shown = true;
  };
  const stop = () => {
    if (timer) clearInterval(timer);
    timer = undefined;
  };
  return {
    update(event) {
      steps.event(event, Date.now());
      current = { text: progressText(event), ...(typeof event === 'string' ? {} : { where: event.where }) };
      draw();
      if (steps.active && !timer) {
        timer = setInterval(draw, 1000);
        timer.unref();
      } else if (!steps.active) stop();
    },
    done() {
      stop();
      current = undefined;
      if (shown) stream.write('\r\x1b[2K');
      shown = false;
    },
  };
}
