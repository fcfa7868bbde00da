import { ApiRequestError, ApiResponseError, EApiV1ErrorCode, type SendDMV1Params, type TwitterApi } from 'twitter-api-v2';
import { DeliveryError, type ConversationKey, type MessageSender, type OutboundMessage } from '../../core/index.js';
import { sendWithRetry, type RetryOptions } from '../send-with-retry.js';
import { splitText, trimLabel } from '../split-text.js';

/** X's limits for one direct message (v1.1 `direct_messages/events/new`). */
export const X_DM_LIMITS = {
  /** Characters of text in one DM. */
  textLength: 10_000,
  /** Quick-reply options on one DM. */
  quickReplyOptions: 20,
  /** Characters of one quick-reply label. */
  labelLength: 36,
} as const;

/**
 * Renders one outbound message as the DMs X will accept: text split at X's
 * limit, quick replies (capped and trimmed) on the last part only, so the
 * buttons sit under the question they answer. The choice id travels as the
 * option's `metadata` and comes back as `quick_reply_response.metadata`.
 */
export function renderDirectMessages(recipientId: string, message: OutboundMessage): SendDMV1Params[] {
  const parts = splitText(message.text, X_DM_LIMITS.textLength);
  const options = message.choices.slice(0, X_DM_LIMITS.quickReplyOptions).map((choice) => ({
    label: trimLabel(choice.label, X_DM_LIMITS.labelLength),
    metadata: choice.id,
  }));
  return parts.map((text, index) => {
    const last = index === parts.length - 1;
    return last && options.length > 0
      ? { recipient_id: recipientId, text, quick_reply: { type: 'options' as const, options } }
      : { recipient_id: recipientId, text };
  });
}

/** Refusals about the person, not the request: retrying can never deliver. */
const PERMANENT_CODES: ReadonlySet<number> = new Set([
  EApiV1ErrorCode.CannotSendDMToThisUser,
  EApiV1ErrorCode.DMReceiverNotFollowingYou,
  EApiV1ErrorCode.UserNotFound,
  EApiV1ErrorCode.NoUserMatch,
  EApiV1ErrorCode.TargetUserSuspended,
]);

/** Used when X answers 429 without saying when the window resets. */
const DEFAULT_RATE_LIMIT_WAIT_MS = 60_000;

/**
 * Translates whatever twitter-api-v2 threw into a {@link DeliveryError} the
 * rest of the bot understands: 429 with the wait X asked for (from
 * `x-rate-limit-reset`, epoch seconds), refusals about the person as
 * permanent, everything else with its cause. The message names only status
 * and error codes, never the text or the recipient.
 */
export function toDeliveryError(error: unknown, now: () => number = Date.now): DeliveryError {
  if (error instanceof ApiResponseError) {
    const codes = (error.errors ?? []).flatMap((e) => ('code' in e && typeof e.code === 'number' ? [e.code] : []));
    const described = `X refused the direct message (HTTP ${error.code}${codes.length > 0 ? `, code ${codes.join(',')}` : ''})`;
    if (error.rateLimitError) {
      return new DeliveryError(described, { cause: error, retryAfterMs: rateLimitWait(error, now) });
    }
    if (codes.some((code) => PERMANENT_CODES.has(code))) {
      return new DeliveryError(described, { cause: error, permanent: true });
    }
    return new DeliveryError(described, { cause: error });
  }
  if (error instanceof ApiRequestError) {
    return new DeliveryError('X could not be reached for a direct message', { cause: error });
  }
  return new DeliveryError('Sending an X direct message failed', { cause: error });
}

function rateLimitWait(error: ApiResponseError, now: () => number): number {
  const header = error.headers?.['x-rate-limit-reset'];
  const reset = error.rateLimit?.reset ?? (typeof header === 'string' ? Number(header) : Number.NaN);
  if (!Number.isFinite(reset) || reset <= 0) return DEFAULT_RATE_LIMIT_WAIT_MS;
  // Never less than a second: a reset already past by our clock still needs X's window to turn.
  return Math.max(1000, Math.ceil(reset * 1000 - now()));
}

/**
 * The X channel's {@link MessageSender}. Needs nothing but the conversation
 * key (the person's user id), so a call handler's reply minutes later is sent
 * exactly like an immediate one. Messages go out in order, one DM at a time;
 * each DM is retried on 429 within the bounds of `retry`.
 */
export function createTwitterSender(client: TwitterApi, retry: RetryOptions = {}): MessageSender {
  return {
    /** Resolves to the ids of the DM events X created, so the bot's own messages can be deleted later. */
    async send(key: ConversationKey, messages: readonly OutboundMessage[]): Promise<string[]> {
      const sent: string[] = [];
      for (const message of messages) {
        for (const dm of renderDirectMessages(key.id, message)) {
          const created = await sendWithRetry(async () => {
            try {
              return await client.v1.sendDm(dm);
            } catch (error) {
              throw toDeliveryError(error);
            }
          }, retry);
          if (created.event?.id) sent.push(created.event.id);
        }
      }
      return sent;
    },
  };
}
