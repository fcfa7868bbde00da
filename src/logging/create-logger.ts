import { pino, type DestinationStream } from 'pino';
import type { Logger } from '../core/logger.js';

/**
 * Paths pino blanks out wherever they appear. A second line of defence: code
 * must not log personal data in the first place, but if an object carrying a
 * message, a name or a credential ever reaches a log call, it is censored.
 */
export const REDACTED_PATHS: readonly string[] = [
  'text', '*.text', 'message.text', 'username', '*.username', 'name', '*.name', 'first_name', '*.first_name',
  'last_name', '*.last_name', 'from', '*.from', 'chat', '*.chat', 'user', '*.user', 'users', '*.users',
  'headers.authorization', '*.headers.authorization', 'authorization', 'token', '*.token', 'password', '*.password',
  'secret', '*.secret', 'body', '*.body', 'payload', '*.payload', 'conversationId', 'chatId', 'userId',
];

/** The process's own logger: the {@link Logger} every part is given, plus `fatal` for the line before the process exits. */
export interface RootLogger extends Logger {
  fatal(fields: object, message: string): void;
}

/** Structured JSON logs at the given level, with personal fields redacted. */
export function createLogger(level = 'info', destination?: DestinationStream): RootLogger {
  return pino(
    {
      level,
      base: { service: 'sextortion-support-bot' },
      redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // An `err` that is already a summary (see errorSummary) is written as it is; pino's own serializer would retype it as "Object".
      serializers: { err: (value: unknown) => (value instanceof Error ? pino.stdSerializers.err(value) : value) },
    },
    destination,
  );
}
