/**
 * A button the bot offers. `id` is stable across languages and short enough
 * for every platform (Telegram's callback_data allows 64 bytes); `label` is
 * already translated.
 */
export interface Choice {
  readonly id: string;
  readonly label: string;
}

/** A web address the message mentions, so channels that can show link buttons may. */
export interface Link {
  readonly label: string;
  readonly url: string;
}

/**
 * One message from the bot, already rendered in the person's language.
 * Channels translate it to their platform's shape; the text always carries
 * the question too, because some platforms do not show buttons.
 */
export interface OutboundMessage {
  /** The locale key it was rendered from (for transcripts, tests and discreet mode); channels send only the text. */
  readonly key?: string;
  /** The locale it was rendered in, so a channel can add words of its own in the same language (X's "Reply 1, 2 or 3"). */
  readonly locale?: string;
  readonly text: string;
  readonly choices: readonly Choice[];
  readonly links: readonly Link[];
}
