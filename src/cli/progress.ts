/**
 * Progress for long work (DESIGN.md §5): one updating line on stderr when it is a TTY, plain
 * lines when it is not, nothing in CI (`CI` set) or when quiet. Messages pass the redactor.
 */
import { redactor } from '../log/redact.js';

export interface Progress {
  update(message: string): void;
  /** Clear the updating line (TTY) before normal output continues. */
  done(): void;
}

export interface ProgressOptions {
  stream?: NodeJS.WriteStream;
  env?: NodeJS.ProcessEnv;
  quiet?: boolean;
}

export function createProgress(options: ProgressOptions = {}): Progress {
  const stream = options.stream ?? process.stderr;
  const env = options.env ?? process.env;
  if (options.quiet || (env.CI && env.CI !== 'false')) return { update() {}, done() {} };
  if (!stream.isTTY) {
    return {
      update(message) {
        stream.write(`${redactor.redact(message)}\n`);
      },
      done() {},
    };
  }
  let shown = false;
  return {
    update(message) {
      const width = Math.max(20, (stream.columns ?? 80) - 1);
      const line = `… ${redactor.redact(message)}`;
      stream.write(`\r\x1b[2K${line.length > width ? `${line.slice(0, width - 1)}…` : line}`);
      shown = true;
    },
    done() {
      if (shown) stream.write('\r\x1b[2K');
      shown = false;
    },
  };
}
