import { ApiRequestError, ApiResponseError, EApiV1ErrorCode, type SendDMV1Params, type TwitterApi } from 'twitter-api-v2';
import { DeliveryError, type ConversationKey, type MessageSender, type OutboundMessage } from '../../core/index.js';
import { sendWithRetry, type RetryOptions } from '../send-with-retry.js';
import { splitText, trimLabel } from '../split-text.js';
import { numberedChoices, type ChoicePrompt } from './numbered-choices.js';
import type { XUserSession } from './user-token.js';

/** X's limits for one direct message (v1.1 `direct_messages/events/new`; v2 takes the same text length). */
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

/**
 * Renders one outbound message as the texts of v2 DMs, which carry no
 * buttons: the choices become a numbered list under the question, with a
 * line saying which numbers to reply ("Reply 1, 2 or 3"), numbered from
 * `firstNumber` so that every choice of one batch has its own number, in the
 * order the engine remembers them. Split at X's limit like any text.
 */
export function renderV2Texts(message: OutboundMessage, prompt: ChoicePrompt, firstNumber = 1): string[] {
  const list = numberedChoices(message, prompt, firstNumber);
  return splitText(list === undefined ? message.text : `${message.text}\n\n${list}`, X_DM_LIMITS.textLength);
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
export function toDeliveryError(error: unknown, now: () => number = Date.now, { v2 = false }: { v2?: boolean } = {}): DeliveryError {
  if (error instanceof ApiResponseError) {
    const codes = (error.errors ?? []).flatMap((e) => ('code' in e && typeof e.code === 'number' ? [e.code] : []));
    const described = `X refused the direct message (HTTP ${error.code}${codes.length > 0 ? `, code ${codes.join(',')}` : ''})`;
    if (error.rateLimitError) {
      return new DeliveryError(described, { cause: error, retryAfterMs: rateLimitWait(error, now) });
    }
    // v2 answers a recipient who does not take DMs (or a DM X will never allow) with 403 and no v1.1 code.
    if (codes.some((code) => PERMANENT_CODES.has(code)) || (v2 && error.code === 403)) {
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

/** One DM X accepted: the event id it gave, so it can be found (and deleted) later; absent only if X's answer named none. */
export interface SentDirectMessage {
  readonly eventId: string | undefined;
}

/**
 * The event id in v2's answer to a send. X wraps it in `data`
 * (`{ data: { dm_conversation_id, dm_event_id } }`); twitter-api-v2 1.29's
 * type says it is unwrapped, so both are read.
 */
export function v2EventId(result: unknown): string | undefined {
  const record = (value: unknown) => (typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {});
  const id = record(record(result).data).dm_event_id ?? record(result).dm_event_id;
  return typeof id === 'string' ? id : undefined;
}

/**
 * The X channel's sender: a {@link MessageSender}, and the same sending
 * resolving to the DMs X accepted, in order, each with its event id.
 */
export interface XSender extends MessageSender {
  sendDirectMessages(key: ConversationKey, messages: readonly OutboundMessage[]): Promise<SentDirectMessage[]>;
}

/** How the sender reaches X: v2 with the user session (the default), or v1.1 with quick replies. */
export type XSendVia =
  | { readonly api: 'v2'; readonly session: XUserSession; readonly prompt: ChoicePrompt }
  | { readonly api: 'v1.1'; readonly client: TwitterApi };

/**
 * The X channel's {@link MessageSender}. Needs nothing but the conversation
 * key (the person's user id), so a call handler's reply minutes later is sent
 * exactly like an immediate one. Messages go out in order, one DM at a time;
 * each DM is retried on 429 within the bounds of `retry`.
 *
 * v2 (`POST /2/dm_conversations/with/:participant_id/messages`) is X's
 * current DM API and goes through the user session, which refreshes the
 * OAuth 2.0 token as needed; choices are numbered in the text across the
 * whole batch, as the engine numbers what it offered. v1.1 sends quick
 * replies, for accounts where that still works.
 */
export function createTwitterSender(via: XSendVia, retry: RetryOptions = {}): XSender {
  const post = async (call: () => Promise<string | undefined>): Promise<SentDirectMessage> =>
    sendWithRetry(async () => {
      try {
        return { eventId: await call() };
      } catch (error) {
        throw toDeliveryError(error, Date.now, { v2: via.api === 'v2' });
      }
    }, retry);

  const sender: XSender = {
    /** Resolves to the ids of the DM events X created, so the bot's own messages can be deleted later. */
    async send(key, messages) {
      const sent = await sender.sendDirectMessages(key, messages);
      return sent.flatMap((dm) => (dm.eventId === undefined ? [] : [dm.eventId]));
    },
    async sendDirectMessages(key, messages) {
      const sent: SentDirectMessage[] = [];
      if (via.api === 'v1.1') {
        for (const message of messages) {
          for (const dm of renderDirectMessages(key.id, message)) {
            sent.push(await post(async () => (await via.client.v1.sendDm(dm)).event.id));
          }
        }
        return sent;
      }
      let nextNumber = 1;
      for (const message of messages) {
        for (const text of renderV2Texts(message, via.prompt, nextNumber)) {
          sent.push(await post(() => via.session.call(async (client) => v2EventId(await client.v2.sendDmToParticipant(key.id, { text })))));
        }
        nextNumber += message.choices.length;
      }
      return sent;
    },
  };
  return sender;
}
