import pino from 'pino';

export type Logger = pino.Logger;

/** Secrets never reach the log: headers and keys that carry them are redacted. */
export function createLogger(level = 'info'): Logger {
  return pino({
    level,
    redact: {
      paths: ['*.authorization', '*.Authorization', 'headers.authorization', '*.serverKey', '*.secretKey', '*.accessToken', '*.appSecret', '*.passKey', '*.clientSecret', '*.token'],
      censor: '[redacted]',
    },
  });
}
