import { randomBytes } from 'node:crypto';
import argon2 from 'argon2';

/**
 * argon2id cost settings. The defaults are the argon2 package's own (64 MiB,
 * 3 passes, 4 lanes), which meet OWASP's guidance for argon2id; they are
 * options only so that a deployment can raise them.
 */
export interface PasswordHashingOptions {
  readonly memoryCost?: number;
  readonly timeCost?: number;
  readonly parallelism?: number;
}

/**
 * Hashes and checks call-handler passwords with argon2id. A check against an
 * account that does not exist still spends one full hash (against a hash of a
 * random password made once), so the time a sign-in takes does not tell an
 * attacker which usernames exist.
 */
export class PasswordHashing {
  #dummy: Promise<string> | undefined;

  constructor(private readonly options: PasswordHashingOptions = {}) {}

  /** An encoded argon2id hash (salt and parameters included) of `password`. */
  async hash(password: string): Promise<string> {
    return argon2.hash(password, { type: argon2.argon2id, ...this.options });
  }

  /**
   * True when `password` matches `encoded`. With no `encoded` hash (unknown
   * user), spends the same work on a dummy hash and answers false.
   */
  async verify(encoded: string | undefined, password: string): Promise<boolean> {
    if (encoded === undefined) {
      await argon2.verify(await this.#dummyHash(), password).catch(() => false);
      return false;
    }
    try {
      return await argon2.verify(encoded, password);
    } catch {
      // A malformed stored hash must not sign anyone in.
      return false;
    }
  }

  #dummyHash(): Promise<string> {
    this.#dummy ??= this.hash(randomBytes(32).toString('base64url'));
    return this.#dummy;
  }
}
