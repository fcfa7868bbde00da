import { createInterface } from 'node:readline';
import type { ConversationKey } from '../core/conversation-key.js';
import { silentLogger } from '../core/logger.js';
import { createBotCore } from './bot-core.js';
import { Dispatcher } from '../engine/dispatcher.js';
import { MemoryInbox } from '../inbox/memory-inbox.js';
import { MemoryDeliveryLog } from '../storage/memory/delivery-log.js';
import { ENGINE_KEYS } from '../engine/engine-keys.js';
import { createConversationHasher } from '../logging/conversation-hash.js';
import { MemoryMessageIds } from '../storage/memory/message-ids.js';
import { JsonlSender, TerminalSender } from '../channels/terminal/sender.js';
import { SimulatedClearing, wouldDeleteLine } from '../channels/terminal/clearer.js';
import { parseJsonlInput } from '../channels/terminal/inbound.js';

/**
 * `npm run chat`: talk to the bot in a terminal, buttons shown as numbers.
 * `npm run --silent chat -- --jsonl`: a scripted conversation, JSON lines in
 * and out, for tests and for checking content changes. Conversations live in
 * memory for the life of the process.
 */
async function main(argv: readonly string[]): Promise<void> {
  const jsonl = argv.includes('--jsonl');
  const profileAt = argv.indexOf('--profile');
  const profilePath = profileAt >= 0 ? argv[profileAt + 1] : process.env.FORCE_PROFILE;
  const out = (line: string) => void process.stdout.write(`${line}\n`);
  // Nothing is deleted in a terminal: what "clear this chat" would delete is shown (on stderr with --jsonl, whose stdout is replies only).
  let jsonlTurn = 0;
  const simulated = new SimulatedClearing((key, wouldDelete) =>
    jsonl ? process.stderr.write(`${JSON.stringify({ user: key.id, turn: jsonlTurn, wouldDelete })}\n`) : wouldDeleteLine(wouldDelete, out),
  );
  const ids = new MemoryMessageIds();
  const nextId = () => simulated.nextId();
  const core = await createBotCore({ ...(profilePath ? { profilePath } : {}), clearing: { ids, clearer: simulated } });
  const sender = jsonl ? new JsonlSender(out, nextId) : new TerminalSender(out, nextId);
  const dispatcher = new Dispatcher({
    engine: core.engine,
    senders: new Map([['terminal', sender]]),
    logger: silentLogger,
    hashKey: createConversationHasher(),
    sentIds: ids,
  });
  const inbox = new MemoryInbox(dispatcher, new MemoryDeliveryLog(), silentLogger);
  /** The terminal has no platform to redeliver a failed turn, so the person is told, with the safety numbers. */
  const sayError = (key: ConversationKey, hint: string | undefined) =>
    sender.send(key, [{ text: core.renderer.text(ENGINE_KEYS.error, core.catalogue.resolve(hint)), choices: [], links: [] }]);
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false });

  if (jsonl) {
    const jsonSender = sender as JsonlSender;
    let turn = 0;
    for await (const line of lines) {
      turn++;
      if (line.trim() === '') continue;
      const input = parseJsonlInput(line);
      if ('error' in input) {
        process.stderr.write(`line ${turn}: ${input.error}; skipped\n`);
        continue;
      }
      jsonSender.turn = turn;
      jsonlTurn = turn;
      const key: ConversationKey = { channel: 'terminal', id: input.user };
      const typed = input.payload.type === 'text' ? { deletableId: nextId() } : {};
      await inbox
        .submit({ key, payload: input.payload, ...typed, ...(input.locale !== undefined && { localeHint: input.locale }) })
        .catch(() => sayError(key, input.locale));
    }
    return;
  }

  const terminal = sender as TerminalSender;
  const key: ConversationKey = { channel: 'terminal', id: 'terminal' };
  const locale = process.env.LANG?.split('.')[0];
  const hint = locale ? { localeHint: locale } : {};
  out('Talking to the support bot. Type a message, or a number to press a button. Ctrl-D to leave.');
  await inbox.submit({ key, payload: { type: 'start' }, ...hint });
  process.stdout.write('\nyou> ');
  for await (const line of lines) {
    const n = Number(line.trim());
    const choice = Number.isInteger(n) && n >= 1 ? terminal.lastChoices[n - 1] : undefined;
    await inbox
      .submit({ key, ...(choice ? { payload: { type: 'choice', choiceId: choice.id } } : { payload: { type: 'text', text: line }, deletableId: nextId() }), ...hint })
      .catch(() => sayError(key, locale));
    process.stdout.write('\nyou> ');
  }
  out('');
}

process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`chat: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
