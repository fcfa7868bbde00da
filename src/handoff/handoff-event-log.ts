import { type ConversationKey, parseConversationKey } from '../core/conversation-key.js';
import type { Logger } from '../core/logger.js';
import type { HandoffTicket, ReleaseReason } from './handoff-model.js';

/** Something that happened to a ticket, as the operator's log names it. */
export type HandoffEvent =
  | { readonly type: 'queued' }
  | { readonly type: 'claimed' }
  | { readonly type: 'transferred' }
  | { readonly type: 'taken-over' }
  | { readonly type: 'released'; readonly why: ReleaseReason }
  /** The conversation ended: the handler ended it, the person left the handler's chat, or asked for their data to be deleted. */
  | { readonly type: 'ended'; readonly by: 'handler' | 'person' | 'erased' }
  /** The person left the queue before anyone picked them up. */
  | { readonly type: 'abandoned' };

/** Events that end a wait in the queue: their line says how long the person waited (since they last joined it). */
const WAITING: ReadonlySet<HandoffEvent['type']> = new Set(['claimed', 'abandoned']);

const seconds = (ms: number) => Math.max(0, Math.round(ms / 1000));

/**
 * The log hash of a conversation key as the handoff stores keep it (a string), or undefined when it is not a
 * key: every handoff log line, the event log's and the queue time-out's, names a conversation this one way.
 */
export function storedKeyHasher(hashKey: (key: ConversationKey) => string): (conversationKey: string) => string | undefined {
  return (conversationKey) => {
    const key = parseConversationKey(conversationKey);
    return key && hashKey(key);
  };
}

/** Writes one log line per handoff event. */
export type HandoffEventLog = (event: HandoffEvent, ticket: HandoffTicket, now: number) => void;

/** A log that writes nothing, for code and tests that run without one. */
export const noHandoffEventLog: HandoffEventLog = () => undefined;

/**
 * One `info` line per handoff event, so an operator can follow the queue from
 * the logs alone: `"event":"handoff.queued"` and so on, with the ticket's
 * opaque id (the same as in the audit log), the keyed hash that stands for
 * the conversation in every other line, the channel, why it was queued, its
 * priority, how long the person had waited (claimed, abandoned) or
 * the ticket was open (ended). Never message text, never the
 * handler's or the person's name, never the conversation key itself.
 */
export function createHandoffEventLog(logger: Logger, hashKey: (key: ConversationKey) => string): HandoffEventLog {
  const hashStored = storedKeyHasher(hashKey);
  return (event, ticket, now) => {
    const conversation = hashStored(ticket.conversationKey);
    const { type, ...detail } = event;
    logger.info(
      {
        event: `handoff.${type}`,
        ticket: ticket.id,
        ...(conversation && { conversation }),
        channel: ticket.channel,
        reason: ticket.reason,
        priority: ticket.priority,
        ...(WAITING.has(type) && { waitedSeconds: seconds(now - (ticket.requeuedAt ?? ticket.queuedAt)) }),
        ...(type === 'ended' && { openSeconds: seconds(now - ticket.queuedAt) }),
        ...detail,
      },
      `handoff ${type}`,
    );
  };
}
