import { CloudAdapter, type Activity, type InvokeResponse, type TurnContext } from 'botbuilder';
import { validateAndFixActivity } from 'botbuilder/lib/activityValidator.js';

/** The errors jsonwebtoken throws for a token that is malformed, badly signed, expired or not yet valid. */
const TOKEN_ERRORS: ReadonlySet<string> = new Set(['JsonWebTokenError', 'TokenExpiredError', 'NotBeforeError']);

/**
 * botbuilder's CloudAdapter, with its request processing reachable without
 * `process()`: that method writes every failure, bad tokens included, to
 * `console.error` with its stack and answers with the error's message. The
 * route calls {@link RequestAdapter.processRequest} instead and decides itself
 * what to log and answer. Authentication and the turn are botbuilder's own.
 */
export class RequestAdapter extends CloudAdapter {
  /**
   * Authenticates `authorization` for the activity and runs `logic` for it,
   * as `process()` does after parsing: the activity's timestamps are fixed
   * up by botbuilder's own validator first. Resolves to the invoke response,
   * if the turn produced one; rejects when authentication fails.
   */
  processRequest(authorization: string, body: Record<string, unknown>, logic: (turn: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    const activity = validateAndFixActivity(body as unknown as Activity);
    return this.processActivity(authorization, activity, logic);
  }
}

/** Why a request was refused: the status to answer and a name for the log (never the error's message). */
export interface AuthenticationFailure {
  readonly status: 401 | 403;
  readonly name: string;
}

/**
 * The refusal for a request whose authentication failed (401, or 403 where
 * botbuilder says forbidden), or undefined when `error` is not an
 * authentication failure (then the service itself failed). botbuilder's own
 * AuthenticationError has no name of its own, so it is named here.
 */
export function authenticationFailure(error: unknown): AuthenticationFailure | undefined {
  if (!(error instanceof Error)) return undefined;
  if (TOKEN_ERRORS.has(error.name)) return { status: 401, name: error.name };
  const status = (error as { statusCode?: unknown }).statusCode;
  return status === 401 || status === 403 ? { status, name: 'AuthenticationError' } : undefined;
}
