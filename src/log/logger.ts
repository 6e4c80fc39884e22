/**
 * JSON-lines logs (pino) with every registered secret value redacted, at any depth, plus pino's
 * path redaction for fields that are secret by name. Human-facing CLI output does not go here.
 *
 * The CLI's logger is silent unless MCP_GITOPS_LOG_LEVEL says otherwise, so a silent logger loads
 * pino (~15 ms of every plan and reconcile) only when something other than a log call or a
 * child() is asked of it: until then those are the no-ops pino's silent level makes them.
 */
import { createRequire } from 'node:module';
import type * as Pino from 'pino';
import type { pino } from 'pino';
import { redactor } from './redact.js';

export type Logger = pino.Logger;

const LOG_METHODS = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);
const noop = () => {};

const SECRET_FIELD_PATHS = [
  'secret',
  'token',
  'password',
  'authorization',
  '*.secret',
  '*.token',
  '*.password',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
];

export interface LoggerOptions {
  level?: string;
  /** A writable stream or file descriptor; default stderr. */
  destination?: pino.DestinationStream | number;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? process.env.MCP_GITOPS_LOG_LEVEL ?? 'silent';
  return level === 'silent' ? lazySilent(() => createPino(level, options)) : createPino(level, options);
}

/**
 * A silent logger that makes the real one (`make`) on first need: log calls are no-ops and
 * `child(bindings)` is another such logger until then; any other property (or a set) makes it.
 */
function lazySilent(make: () => Logger): Logger {
  let real: Logger | undefined;
  const get = () => {
    real ??= make();
    return real;
  };
  return new Proxy({} as Logger, {
    get(_, key) {
      if (real === undefined) {
        if (typeof key === 'string' && LOG_METHODS.has(key)) return noop;
        if (key === 'level') return 'silent';
        if (key === 'child')
          return (bindings: pino.Bindings, options?: pino.ChildLoggerOptions) =>
            options === undefined ? lazySilent(() => get().child(bindings)) : get().child(bindings, options);
      }
      const target = get();
      const value = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
    set: (_, key, value) => Reflect.set(get(), key, value),
    has: (_, key) => Reflect.has(get(), key),
  });
}

function createPino(level: string, options: LoggerOptions): Logger {
  const { pino } = createRequire(import.meta.url)('pino') as typeof Pino;
  const destination =
    typeof options.destination === 'number' || options.destination === undefined
      ? pino.destination({ fd: options.destination ?? 2, sync: true })
      : options.destination;
  return pino(
    {
      level,
      base: undefined,
      redact: { paths: SECRET_FIELD_PATHS, censor: '[REDACTED]' },
      formatters: { log: (obj) => redactor.redactDeep(obj) },
      hooks: {
        logMethod(args, method) {
          const redacted = args.map((a) => (typeof a === 'string' ? redactor.redact(a) : a)) as Parameters<
            typeof method
          >;
          method.apply(this, redacted);
        },
      },
    },
    destination,
  );
}
