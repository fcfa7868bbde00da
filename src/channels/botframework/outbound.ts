import { MessageFactory, type Activity, type CardAction } from 'botbuilder';
import type { Choice, OutboundMessage } from '../../core/index.js';
import { splitText, trimLabel } from '../split-text.js';
import type { OfferedChoice } from './reference-store.js';

/** Messenger's limit on one message's text; the strictest of the channels we serve. */
export const MAX_TEXT_LENGTH = 2000;
/** Messenger shows at most 11 quick replies (Teams shows 3; the text lists them all anyway). */
export const MAX_SUGGESTED_ACTIONS = 11;
/** Messenger cuts quick-reply titles at 20 characters. */
export const MESSENGER_LABEL_LENGTH = 20;

/** Channels whose clients send a messageBack's `value` and show its `displayText`. */
const MESSAGE_BACK_CHANNELS: ReadonlySet<string> = new Set(['webchat', 'directline', 'emulator']);

/** The activities for a batch of outbound messages, and the choices they offer. */
export interface RenderedMessages {
  readonly activities: readonly Partial<Activity>[];
  /** The choices of the last message that had any, as sent; undefined when none had. */
  readonly offeredChoices: readonly OfferedChoice[] | undefined;
}

/**
 * Renders outbound messages as Bot Framework activities: text split at
 * {@link MAX_TEXT_LENGTH}, and choices as suggested actions on the last part
 * only. The action type depends on the channel, because each shows imBack
 * differently:
 * - Web Chat, Direct Line, Emulator: `messageBack` with `value: { choiceId }`,
 *   showing the label as the person's message (imBack would show the raw id);
 * - Messenger: `imBack` with the id as value; it becomes a quick reply whose
 *   payload is the id and whose title is the label (at most 20 characters);
 * - Teams and any other channel: `imBack` with the label as value, because
 *   Teams posts the value as the person's own message; the inbound side maps
 *   the label back to the id using the offered choices kept in the store.
 */
export function renderMessages(channelId: string, messages: readonly OutboundMessage[]): RenderedMessages {
  const activities: Partial<Activity>[] = [];
  let offeredChoices: OfferedChoice[] | undefined;
  for (const message of messages) {
    const parts = splitText(message.text, MAX_TEXT_LENGTH);
    const choices = message.choices.slice(0, MAX_SUGGESTED_ACTIONS).map((choice) => offer(channelId, choice));
    parts.forEach((part, index) => {
      const last = index === parts.length - 1;
      activities.push(
        last && choices.length > 0
          ? MessageFactory.suggestedActions(choices.map((choice) => action(channelId, choice)), part)
          : MessageFactory.text(part),
      );
    });
    if (choices.length > 0) offeredChoices = choices;
  }
  return { activities, offeredChoices };
}

function offer(channelId: string, choice: Choice): OfferedChoice {
  const sentLabel = channelId === 'facebook' ? trimLabel(choice.label, MESSENGER_LABEL_LENGTH) : choice.label;
  return { id: choice.id, label: choice.label, sentLabel };
}

function action(channelId: string, choice: OfferedChoice): CardAction {
  if (MESSAGE_BACK_CHANNELS.has(channelId)) {
    return {
      type: 'messageBack',
      title: choice.sentLabel,
      displayText: choice.sentLabel,
      text: choice.sentLabel,
      value: { choiceId: choice.id },
    };
  }
  if (channelId === 'facebook') return { type: 'imBack', title: choice.sentLabel, value: choice.id };
  return { type: 'imBack', title: choice.sentLabel, value: choice.sentLabel };
}
