import pino, { type Logger } from 'pino';
import pinoPretty from 'pino-pretty';

export type { Logger };

export interface LoggerOptions {
  /**
   * Human-readable lines (pino-pretty) instead of JSON lines. By default: when the logs go to a
   * terminal (stdout is a TTY); piped or redirected output (files, collectors, CI) stays JSON.
   */
  pretty?: boolean;
}

/**
 * Structured logs: JSON lines, or readable lines in a terminal. Secrets never reach a log line:
 * credentials and keys are redacted by path wherever they appear in a logged object (before
 * either format is written).
 */
export function createLogger(level: string, destination?: pino.DestinationStream, options: LoggerOptions = {}): Logger {
  const pretty = options.pretty ?? (destination === undefined && process.stdout.isTTY === true);
  const stream = pretty
    ? pinoPretty({
        colorize: destination === undefined && process.stdout.isTTY === true,
        translateTime: 'SYS:HH:MM:ss.l',
        ignore: 'pid,hostname,service',
        sync: true,
        ...(destination ? { destination } : {}),
      })
    : destination;
  return pino(
    {
      level,
      base: { service: 'inkwell' },
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          '*.password',
          '*.passwordHash',
          '*.*.passwordHash',
          '*.token',
          '*.privateKey',
          '*.activeKey',
          '*.wif',
          'password',
          'passwordHash',
          'token',
          'privateKey',
          'activeKey',
          'wif',
        ],
        censor: '[redacted]',
      },
    },
    stream,
  );
}
