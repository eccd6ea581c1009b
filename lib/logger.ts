import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. Secrets never reach a log line: credentials and keys are redacted by path
 * wherever they appear in a logged object.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
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
    destination,
  );
}
