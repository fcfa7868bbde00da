import { ANSWER_REPLIES } from '../../flows/replies.js';
import type { Question } from '../../flows/intents.js';
import { createBotCore, type BotCore } from '../../src/app/bot-core.js';
import type { TurnResult } from '../../src/engine/conversation-engine.js';
import { MemoryConversationStore } from '../../src/storage/memory/conversation-store.js';
import { ITEM_LANGUAGES, type LabelledConversation } from './items.js';

/**
 * Runs labelled conversations through the real engine (memory store, no
 * platform hint, no call handlers), turn by turn, and checks each reply
 * against what the turn must and must not contain: literal text (numbers,
 * service names) in the rendered reply, or markers that stand for kinds of
 * reply (asks the age, answers a question, says it did not understand…).
 */

/** Reply keys that stand for each marker. */
const MARKER_KEYS: Readonly<Record<string, (key: string) => boolean>> = {
  WELCOME: (k) => k === 'welcome.short' || k === 'welcome.intro',
  ASK_SAFE: (k) => k.startsWith('safety.ask') || k === 'resume.safety' || k.startsWith('risk.silence.'),
  ASK_RISK: (k) => k.startsWith('riskCheck.ask') || k === 'resume.riskCheck',
  ASK_AGE: (k) => k.startsWith('age.ask') || k.startsWith('resume.age'),
  ASK_PAID: (k) => k === 'paid.question' || k === 'resume.paid',
  CHILD_ROUTE: (k) => ['under18.message', 'moreImages.child', 'answer.crime.child', 'summary.child', 'knownPerson.child'].includes(k),
  NOT_UNDERSTOOD: (k) => k === 'unknown.notSure',
  HANDOFF: (k) => k.startsWith('handoff.queued') || k.startsWith('handoff.unavailable'),
};

/** One failed expectation. */
export interface TurnFailure {
  readonly conversation: string;
  readonly turn: number;
  readonly problem: string;
  readonly said: string;
  readonly keys: readonly string[];
}

/** The figures for a set of conversations. */
export interface ConversationScores {
  readonly conversations: number;
  readonly conversationsPassed: number;
  readonly turns: number;
  readonly turnsPassed: number;
  /** Turns that expect "999" and got it. */
  readonly emergencyTurns: { readonly hit: number; readonly of: number };
  readonly failures: readonly TurnFailure[];
}

/** Checks one expectation entry against a turn's result. */
function holds(entry: string, result: TurnResult, keysConditional: (key: string, needle: RegExp) => boolean): boolean {
  const keys = result.messages.map((m) => m.key ?? '');
  const text = result.messages.map((m) => m.text).join('\n');
  if (entry.startsWith('ANSWER:')) {
    const question = entry.slice('ANSWER:'.length) as Question;
    const variants = ANSWER_REPLIES[question];
    if (!variants) throw new Error(`unknown question in ${entry}`);
    return keys.some((k) => variants.some((v) => v.key === k));
  }
  if (entry.startsWith('LANG:')) {
    const lang = entry.slice('LANG:'.length) as keyof typeof ITEM_LANGUAGES;
    return result.locale === ITEM_LANGUAGES[lang];
  }
  if (entry === 'IF_UNDER_18') return keys.some((k) => keysConditional(k, /under 18/i));
  if (entry === 'IF_UNDER_19') return keys.some((k) => keysConditional(k, /under 19/i));
  const marker = MARKER_KEYS[entry];
  if (marker) return keys.some(marker);
  if (/^[A-Z_]+$/.test(entry)) throw new Error(`unknown marker ${entry}`);
  return text.toLowerCase().includes(entry.toLowerCase());
}

/** Runs the conversations and scores every turn. */
export async function scoreConversations(conversations: readonly LabelledConversation[], core?: BotCore): Promise<ConversationScores> {
  const bot = core ?? (await createBotCore({ store: new MemoryConversationStore() }));
  // A reply is conditional on age when its English wording says "if you're under 18 / 19" (or "under 18s:").
  const english = (key: string) => bot.renderer.text(key, 'en-GB');
  const conditional = (key: string, age: RegExp) => new RegExp(`(?:if you(?:'|’)?re|if they(?:'|’)?re|if you are|if they are) ${age.source}|${age.source}s?:`, 'i').test(english(key));
  const failures: TurnFailure[] = [];
  let turns = 0;
  let turnsPassed = 0;
  let passed = 0;
  const emergency = { hit: 0, of: 0 };
  let n = 0;
  for (const conversation of conversations) {
    const key = { channel: 'terminal' as const, id: `eval-${n++}-${conversation.id}` };
    let ok = true;
    for (const [index, turn] of conversation.turns.entries()) {
      const payload = 'silence' in turn ? ({ type: 'timer', check: 'safety' } as const) : ({ type: 'text', text: turn.user } as const);
      const result = await bot.engine.handle({ key, payload });
      const said = result.messages.map((m) => m.text).join(' ¶ ');
      const keys = result.messages.map((m) => m.key ?? '');
      let turnOk = true;
      for (const entry of turn.expect) {
        if (!holds(entry, result, conditional)) {
          turnOk = false;
          failures.push({ conversation: conversation.id, turn: index + 1, problem: `missing ${entry}`, said, keys });
        }
      }
      for (const entry of turn.forbid) {
        if (holds(entry, result, conditional)) {
          turnOk = false;
          failures.push({ conversation: conversation.id, turn: index + 1, problem: `forbidden ${entry}`, said, keys });
        }
      }
      if (turn.expect.includes('999')) {
        emergency.of++;
        if (holds('999', result, conditional)) emergency.hit++;
      }
      turns++;
      if (turnOk) turnsPassed++;
      else ok = false;
    }
    if (ok) passed++;
  }
  return { conversations: conversations.length, conversationsPassed: passed, turns, turnsPassed, emergencyTurns: emergency, failures };
}
