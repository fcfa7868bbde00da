import type { Logger } from '../../src/core/logger.js';
import { createLogger } from '../../src/logging/create-logger.js';

/** The project's own JSON logger, writing into memory instead of stdout. */
export interface CapturedLog {
  readonly logger: Logger;
  /** Every line written so far, exactly as it would have reached stdout. */
  readonly raw: string[];
  /** The lines parsed as JSON (a line that is not JSON makes this throw). */
  entries(): Record<string, unknown>[];
}

/** A {@link CapturedLog} at `level` (default debug), with the production redaction rules. */
export function captureLog(level = 'debug'): CapturedLog {
  const raw: string[] = [];
  const logger = createLogger(level, { write: (line: string) => void raw.push(line) });
  return { logger, raw, entries: () => raw.map((line) => JSON.parse(line) as Record<string, unknown>) };
}
