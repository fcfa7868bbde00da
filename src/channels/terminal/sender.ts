import type { ConversationKey } from '../../core/conversation-key.js';
import type { OutboundMessage } from '../../core/outbound-message.js';
import type { MessageSender } from '../../core/sender.js';

/** Writes a line of output; stdout in the CLI, an array in tests. */
export type LineWriter = (line: string) => void;

/**
 * The terminal chat's sender for `--jsonl`: one JSON line per bot message,
 * `{"user", "turn", "text", "choices"}`, where `turn` is the input line being
 * answered (set by the reader before each turn; turns run one at a time).
 */
export class JsonlSender implements MessageSender {
  turn = 0;

  /** `nextId` numbers each message, as a platform gives it an id (for the simulated "clear this chat"). */
  constructor(
    private readonly write: LineWriter,
    private readonly nextId?: () => string,
  ) {}

  async send(key: ConversationKey, messages: readonly OutboundMessage[]): Promise<string[]> {
    const ids: string[] = [];
    for (const m of messages) {
      const choices = m.choices.map(({ id, label }) => ({ id, label }));
      this.write(JSON.stringify({ user: key.id, turn: this.turn, text: m.text, choices }));
      if (this.nextId) ids.push(this.nextId());
    }
    return ids;
  }
}

/**
 * The interactive terminal's sender: the text, then the buttons as a numbered
 * list. Remembers the last choices shown so that typing "2" presses button 2.
 */
export class TerminalSender implements MessageSender {
  lastChoices: readonly { id: string; label: string }[] = [];

  /** `nextId` numbers each message, as a platform gives it an id (for the simulated "clear this chat"). */
  constructor(
    private readonly write: LineWriter,
    private readonly nextId?: () => string,
  ) {}

  async send(_key: ConversationKey, messages: readonly OutboundMessage[]): Promise<string[]> {
    const ids: string[] = [];
    for (const m of messages) {
      if (this.nextId) ids.push(this.nextId());
      this.write(`\nbot> ${m.text.replaceAll('\n', '\n     ')}`);
      if (m.choices.length > 0) {
        this.lastChoices = m.choices;
        m.choices.forEach((c, i) => this.write(`     ${i + 1}. ${c.label}`));
      }
    }
    return ids;
  }
}
