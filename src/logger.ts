import pino from 'pino';

export type Logger = pino.Logger;

/** Structured JSON logs; secrets never reach them. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { app: 'helpline' },
    redact: {
      paths: ['req.headers.authorization', 'req.headers["x-slack-signature"]', '*.token', '*.password', '*.secret'],
      censor: '[redacted]',
    },
  });
}
