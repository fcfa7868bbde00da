import { silentLogger, type Logger } from '../../core/logger.js';
import type { AuditLog } from '../../handoff/handoff-model.js';
import type { HandlerAccounts } from './handler-accounts.js';
import type { LoginThrottle, ThrottledBy } from './login-throttle.js';
import { PasswordCheckLimit, type PasswordCheckLimitOptions, SignInBusyError } from './password-check-limit.js';

/** What became of one sign-in attempt. */
export type SignInOutcome =
  | { readonly result: 'signed-in' }
  | { readonly result: 'wrong' }
  | { readonly result: 'throttled'; readonly retryAfterMs: number }
  | { readonly result: 'busy' };

/** What stands in for a username that is not an account: people type passwords into the username box. */
export const UNKNOWN_HANDLER = '(unknown)';

/** What {@link SignInCheck} is built from. */
export interface SignInCheckOptions {
  readonly accounts: Pick<HandlerAccounts, 'verify' | 'exists'>;
  readonly throttle: LoginThrottle;
  /** Where failed and slowed-down sign-ins are recorded; none in tests that do not look. */
  readonly audit?: Pick<AuditLog, 'append'>;
  readonly logger?: Logger;
  /** How many password checks run and wait at once (defaults: 2 and 16). */
  readonly passwordChecks?: PasswordCheckLimitOptions;
  readonly now?: () => number;
}

/**
 * Decides one sign-in attempt: the throttle first (reserving the attempt),
 * then the password, within the cap on concurrent checks. Every failed
 * sign-in and every slow-down is logged and audited with the address it
 * came from, never the password; the username only if it is an account,
 * otherwise {@link UNKNOWN_HANDLER}. A slow-down is recorded at its first
 * refusal (logged at debug after that), so hammering the form cannot flood
 * the audit log or push real entries out of it.
 */
export class SignInCheck {
  readonly #accounts: SignInCheckOptions['accounts'];
  readonly #throttle: LoginThrottle;
  readonly #audit: Pick<AuditLog, 'append'> | undefined;
  readonly #logger: Logger;
  readonly #checks: PasswordCheckLimit;
  readonly #now: () => number;

  constructor({ accounts, throttle, audit, logger = silentLogger, passwordChecks = {}, now = Date.now }: SignInCheckOptions) {
    this.#accounts = accounts;
    this.#throttle = throttle;
    this.#audit = audit;
    this.#logger = logger;
    this.#checks = new PasswordCheckLimit(passwordChecks);
    this.#now = now;
  }

  /** `username` is already trimmed and lower-cased; `address` is the client's. */
  async check(username: string, password: string, address: string): Promise<SignInOutcome> {
    const decision = await this.#throttle.reserve(username, address, this.#now());
    if (!decision.allowed) {
      await this.#throttled(username, address, decision.by, decision.retryAfterMs, decision.first);
      return { result: 'throttled', retryAfterMs: decision.retryAfterMs };
    }
    const { attempt } = decision;
    let verified: boolean;
    try {
      verified = await this.#checks.run(() => this.#accounts.verify(username, password));
    } catch (error) {
      // No password was checked (too busy) or the check failed: the attempt does not count.
      await this.#throttle.cancel(attempt);
      if (!(error instanceof SignInBusyError)) throw error;
      this.#logger.warn({ event: 'sign-in-busy', address }, 'console sign-in turned away: too many being checked at once');
      return { result: 'busy' };
    }
    if (verified) {
      await this.#throttle.succeeded(attempt);
      return { result: 'signed-in' };
    }
    // A wrong password stays counted: the attempt was reserved as a failure.
    const handler = await this.#recordable(username);
    this.#logger.warn({ event: 'sign-in-failed', handler, address }, 'console sign-in failed');
    await this.#audit?.append({ at: this.#now(), handler, action: 'sign-in-failed', address });
    return { result: 'wrong' };
  }

  async #throttled(username: string, address: string, by: ThrottledBy, retryAfterMs: number, first: boolean): Promise<void> {
    if (!first) {
      this.#logger.debug({ event: 'sign-in-throttled', address, by, retryAfterMs, repeat: true }, 'console sign-in still slowed down');
      return;
    }
    const handler = await this.#recordable(username);
    this.#logger.warn({ event: 'sign-in-throttled', handler, address, by, retryAfterMs }, 'console sign-in slowed down after failures');
    await this.#audit?.append({ at: this.#now(), handler, action: 'sign-in-throttled', address });
  }

  async #recordable(username: string): Promise<string> {
    return (await this.#accounts.exists(username)) ? username : UNKNOWN_HANDLER;
  }
}
