import type { Reply } from '../../flows/support-events.js';
import type { Choice, Link, OutboundMessage } from '../core/outbound-message.js';
import { DAYS, type Day, type ForceProfile, forceName } from '../config/force-profile.js';
import type { LocaleCatalogue } from './locale-catalogue.js';
import { revealingWordIn } from './discreet-opening.js';
import type { NationalContacts } from './national-contacts.js';

import { LANGUAGE_CHOICE_PREFIX } from '../../flows/choices.js';

export { LANGUAGE_CHOICE_PREFIX };

/** The choice id a reply uses to ask for one button per available language. */
export const LANGUAGES_CHOICE = 'languages';

/** The locale key holding a choice's button label: `q:shouldPay` → `choice.q.shouldPay`. */
export function choiceLabelKey(choiceId: string): string {
  return `choice.${choiceId.replaceAll(':', '.')}`;
}

/** The neutral line said first when a message's opening would reveal what the chat is about. */
export const DISCREET_OPENING_KEY = 'discreet.opening';

/** Most distinct variable-free replies kept rendered; the flow has a few hundred (keys times locales). */
const RENDER_CACHE_MAX = 5_000;

/** Keys the renderer itself uses in every locale, beside the flow's own. */
export const RENDERER_KEYS: readonly string[] = [
  'language.nativeName',
  'hours.always',
  'hours.range',
  'hours.join',
  'days.span',
  ...DAYS.map((d) => `days.${d}`),
  // The label of a button id the flow never offers, in a transcript.
  'choice.unknown',
  // The neutral first line put before a message whose opening would give the chat away (discreet mode).
  DISCREET_OPENING_KEY,
];

/**
 * Turns the flow's replies (locale keys) into messages in one language, with
 * the force profile and national contacts filled in. Global variables and the
 * call-handler hours phrase are computed once per locale, not per message,
 * and a reply without variables of its own (nearly all of them) is rendered
 * once per locale and then reused: the text depends only on the locale files
 * and the force profile, which do not change while the process runs.
 */
export class ReplyRenderer {
  readonly #globals = new Map<string, Record<string, unknown>>();
  readonly #rendered = new Map<string, OutboundMessage>();
  readonly #links: readonly Link[];
  /** The same links, longest address first, so a longer one is matched before a site it contains. */
  readonly #longestFirst: readonly Link[];

  constructor(
    private readonly catalogue: LocaleCatalogue,
    private readonly profile: ForceProfile,
    private readonly contacts: NationalContacts,
  ) {
    // Every national web address (the contacts ending in "Web"), plus the force's own: full addresses as they are, bare sites over https.
    const sites = [...Object.entries(contacts).filter(([name]) => name.endsWith('Web')).map(([, site]) => site), profile.website];
    this.#links = [
      { label: profile.reportUrl, url: profile.reportUrl },
      { label: profile.verifyUrl, url: profile.verifyUrl },
      ...sites.map((site) => (/^https?:\/\//.test(site) ? { label: site, url: site } : { label: site, url: `https://${site}/` })),
    ];
    this.#longestFirst = [...this.#links].sort((a, b) => b.label.length - a.label.length);
  }

  /**
   * Renders replies for one person; `locale` must be one the catalogue has.
   * A reply whose text is empty in this language (a line only some
   * languages have) is left out.
   */
  render(replies: readonly Reply[], locale: string): OutboundMessage[] {
    const messages: OutboundMessage[] = [];
    for (const reply of replies) {
      const message = this.renderOne(reply, locale);
      if (message.text !== '') messages.push(message);
    }
    return messages;
  }

  /** Renders a single key with the global variables, for notices outside the flow. */
  text(key: string, locale: string, vars: Record<string, unknown> = {}): string {
    return this.catalogue.t(locale, key, { ...this.globals(locale), ...vars });
  }

  /**
   * Renders one reply. The result is frozen: replies without variables are
   * shared between conversations, so nobody may change one in place.
   */
  renderOne(reply: Reply, locale: string): OutboundMessage {
    // Variables (a call handler's words, for one) are per conversation: never cached.
    if (reply.vars !== undefined) return this.#build(reply, locale);
    const cacheKey = `${locale}\u0000${reply.key}\u0000${reply.choices?.join('\u0000') ?? ''}`;
    let message = this.#rendered.get(cacheKey);
    if (!message) {
      message = this.#build(reply, locale);
      // Keys and choices come from the flow, a fixed set; the bound only guards against a future flow that varies them.
      if (this.#rendered.size >= RENDER_CACHE_MAX) this.#rendered.clear();
      this.#rendered.set(cacheKey, message);
    }
    return message;
  }

  #build(reply: Reply, locale: string): OutboundMessage {
    const text = this.#discreet(this.text(reply.key, locale, reply.vars), locale);
    const choices = Object.freeze(this.choices(reply.choices ?? [], locale).map((c) => Object.freeze(c)));
    const links = Object.freeze(this.linksIn(text).map((l) => Object.freeze(l)));
    return Object.freeze({ key: reply.key, locale, text, choices, links });
  }

  /**
   * In discreet mode (the profile's `discreet`, on by default) a message whose
   * opening, what a locked phone shows, would give the chat away is led by a
   * neutral line at least as long as the opening, in every language. The shipped messages are written with neutral
   * openings (a test holds them to it); this catches what is not known in
   * advance: a call handler's own words, or a force's name such as "Police Scotland".
   */
  #discreet(text: string, locale: string): string {
    if (!this.profile.discreet || revealingWordIn(text) === undefined) return text;
    return `${this.catalogue.t(locale, DISCREET_OPENING_KEY)}\n\n${text}`;
  }

  private choices(ids: readonly string[], locale: string): Choice[] {
    const out: Choice[] = [];
    for (const id of ids) {
      if (id === LANGUAGES_CHOICE) {
        for (const code of this.catalogue.locales) {
          out.push({ id: `${LANGUAGE_CHOICE_PREFIX}${code}`, label: this.catalogue.t(code, 'language.nativeName') });
        }
      } else {
        out.push({ id, label: this.catalogue.t(locale, choiceLabelKey(id)) });
      }
    }
    return out;
  }

  /**
   * The label a button showed, for a transcript: the language's own name for
   * a language button, the locale's label for the rest; an id the flow never
   * offers (a forged payload) is shown as unknown rather than as sent.
   */
  choiceLabel(id: string, locale: string): string {
    if (id.startsWith(LANGUAGE_CHOICE_PREFIX)) {
      const code = this.catalogue.match(id.slice(LANGUAGE_CHOICE_PREFIX.length));
      if (code) return this.catalogue.t(code, 'language.nativeName');
    }
    const key = choiceLabelKey(id);
    return this.catalogue.has(locale, key) ? this.catalogue.t(locale, key) : this.catalogue.t(locale, 'choice.unknown');
  }

  /**
   * Web addresses the text mentions, as links for channels that can show them,
   * each once: a site named only inside a longer address the text gives (the
   * force's site inside its report form's address) is not linked again.
   */
  private linksIn(text: string): Link[] {
    let rest = text;
    const found = new Set<Link>();
    for (const link of this.#longestFirst) {
      if (!rest.includes(link.label)) continue;
      found.add(link);
      rest = rest.replaceAll(link.label, ' ');
    }
    return this.#links.filter((link) => found.has(link));
  }

  private globals(locale: string): Record<string, unknown> {
    let globals = this.#globals.get(locale);
    if (!globals) {
      globals = {
        contacts: this.contacts,
        force: {
          name: forceName(this.profile, locale),
          website: this.profile.website,
          reportUrl: this.profile.reportUrl,
          verifyUrl: this.profile.verifyUrl,
        },
        handlerHours: this.hoursPhrase(locale),
      };
      this.#globals.set(locale, globals);
    }
    return globals;
  }

  /** "24 hours a day, 7 days a week" or "Monday to Friday, 08:00 to 20:00; Saturday, 10:00 to 16:00". */
  private hoursPhrase(locale: string): string {
    const hours = this.profile.callHandlerHours;
    if (hours === 'always') return this.catalogue.t(locale, 'hours.always');
    const t = (key: string, vars?: Record<string, unknown>) => this.catalogue.t(locale, key, vars);
    const phrases = hours.map((range) =>
      t('hours.range', { days: this.daysPhrase(range.days, t), from: range.from, to: range.to }),
    );
    return phrases.reduce((first, rest) => t('hours.join', { first, rest }));
  }

  private daysPhrase(days: readonly Day[], t: (key: string, vars?: Record<string, unknown>) => string): string {
    const sorted = [...new Set(days)].sort((a, b) => DAYS.indexOf(a) - DAYS.indexOf(b));
    const runs: Day[][] = [];
    for (const day of sorted) {
      const run = runs.at(-1);
      if (run && DAYS.indexOf(day) === DAYS.indexOf(run.at(-1) as Day) + 1) run.push(day);
      else runs.push([day]);
    }
    return runs
      .map((run) =>
        run.length > 2
          ? t('days.span', { from: t(`days.${run[0]}`), to: t(`days.${run.at(-1)}`) })
          : run.map((d) => t(`days.${d}`)).join(', '),
      )
      .join(', ');
  }
}
