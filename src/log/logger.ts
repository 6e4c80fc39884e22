/**
 * JSON-lines logs (pino) with every registered secret value redacted, at any depth, plus pino's
 * path redaction for fields that are secret by name. Human-facing CLI output does not go here.
 */
import { pino } from 'pino';
import { redactor } from './redact.js';

export type Logger = pino.Logger;

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
