/**
 * The logging calls the bot makes: pino's shape, so pino fits directly and
 * tests can pass a recorder. Every line has a message (`msg`), so every line
 * has the same shape and says in words what happened; `fields` carry the
 * details, by convention with an `event` name. Never pass message text,
 * names, usernames or platform ids in `fields`: log a keyed hash of the
 * conversation key instead.
 */
export interface Logger {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
  child(bindings: object): Logger;
}

/** A logger that drops everything, for tools and tests that do not log. */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child() {
    return silentLogger;
  },
};
