import { join } from 'node:path';
import type { ConversationLock, ConversationStore } from '../core/store.js';
import { type ForceProfile, loadForceProfile } from '../config/force-profile.js';
import { packageRoot } from '../config/package-root.js';
import { type ChatClearing, ConversationEngine } from '../engine/conversation-engine.js';
import type { CheckScheduler, HandoffPort } from '../engine/handoff-port.js';
import type { RateLimit } from '../engine/rate-limit.js';
import { type LocaleCatalogue, loadLocaleCatalogue } from '../i18n/locale-catalogue.js';
import { loadNationalContacts } from '../i18n/national-contacts.js';
import { ReplyRenderer } from '../i18n/reply-renderer.js';
import { loadUnderstander } from '../nlu/load-understander.js';
import { MemoryConversationLock } from '../storage/memory/conversation-lock.js';
import { MemoryConversationStore } from '../storage/memory/conversation-store.js';

/** Where the bot's content comes from and where conversations are kept. */
export interface BotCoreOptions {
  /** Folder of `<locale>/messages.json`, `<locale>/understanding.json` and `national-contacts.json`. */
  readonly localesDir?: string;
  /** The force profile file. */
  readonly profilePath?: string;
  readonly store?: ConversationStore;
  readonly lock?: ConversationLock;
  readonly rateLimit?: RateLimit;
  readonly now?: () => number;
  /** An already-loaded force profile (then `profilePath` is not read). */
  readonly profile?: ForceProfile;
  /** The call-handler queue, when the service has one. */
  readonly handoff?: HandoffPort;
  /** Runs the flow's "no answer" checks, when the service has a scheduler. */
  readonly checks?: CheckScheduler;
  /** How long an unanswered "are you safe right now?" waits before it is followed up. */
  readonly safetyCheckMs?: number;
  /** "Clear this chat": the kept message ids and the channels' deleting, when the service has them. */
  readonly clearing?: ChatClearing;
}

/** The channel-free heart of the bot, assembled once per process. */
export interface BotCore {
  readonly engine: ConversationEngine;
  readonly catalogue: LocaleCatalogue;
  readonly renderer: ReplyRenderer;
  readonly profile: ForceProfile;
  readonly store: ConversationStore;
}

/** The shipped default force profile (Staffordshire Police). */
export function defaultProfilePath(root = packageRoot()): string {
  return join(root, 'profiles', 'staffordshire.json');
}

/**
 * Loads and validates all content (locales, national contacts, lexicons, the
 * force profile) and builds the engine. Anything malformed stops start-up with
 * a ConfigError naming the file, rather than surfacing mid-conversation.
 */
export async function createBotCore({
  localesDir = join(packageRoot(), 'locales'),
  profilePath = defaultProfilePath(),
  store = new MemoryConversationStore(),
  lock = new MemoryConversationLock(),
  rateLimit,
  now,
  profile: givenProfile,
  handoff,
  checks,
  safetyCheckMs,
  clearing,
}: BotCoreOptions = {}): Promise<BotCore> {
  const profile = givenProfile ?? (await loadForceProfile(profilePath));
  const catalogue = loadLocaleCatalogue(localesDir);
  const contacts = loadNationalContacts(localesDir);
  const renderer = new ReplyRenderer(catalogue, profile, contacts);
  const understander = loadUnderstander(localesDir);
  const engine = new ConversationEngine({
    store,
    lock,
    understander,
    catalogue,
    renderer,
    ...(rateLimit && { rateLimit }),
    ...(now && { now }),
    ...(handoff && { handoff }),
    ...(checks && { checks }),
    ...(safetyCheckMs !== undefined && { safetyCheckMs }),
    ...(clearing && { clearing }),
  });
  return { engine, catalogue, renderer, profile, store };
}
