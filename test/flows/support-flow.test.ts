import { describe, expect, it } from 'vitest';
import { QUESTIONS } from '../../flows/intents.js';
import { ANSWER_REPLIES } from '../../flows/replies.js';
import type { Facts } from '../../flows/safeguarding.js';
import { FLOW_VERSION, initialSupportContext, supportFlow } from '../../flows/support-flow.js';
import type { SupportEvent } from '../../flows/support-events.js';
import { LOCAL_CRISIS, LOCAL_HELPLINES } from '../../flows/replies.js';
import { effects, FlowDriver, replies, replyKeys as allReplyKeys } from './flow-driver.js';

/** Reply keys without the lines only some languages have (tested on their own below). */
const replyKeys = (emitted: Parameters<typeof allReplyKeys>[0]) => allReplyKeys(emitted).filter((k) => k !== LOCAL_CRISIS && k !== LOCAL_HELPLINES);

const next = { type: 'NEXT' } as const;
const info = { type: 'INFO' } as const;
const yes = { type: 'ANSWER', answer: 'yes' } as const;
const no = { type: 'ANSWER', answer: 'no' } as const;
const unsure = { type: 'ANSWER', answer: 'unsure' } as const;
const facts = (f: Partial<Facts>): SupportEvent => ({ type: 'FACTS', facts: f });
const risk = (level: 'unclear' | 'thoughts' | 'imminent' | 'harmed' | undefined, danger = false): SupportEvent =>
  ({ type: 'RISK', ...(level && { level }), danger });
const state = (name: string) => JSON.stringify({ conversation: name });

/** A driver after these messages (each an array of the events one message becomes). */
function after(...messages: (readonly SupportEvent[])[]): FlowDriver {
  const driver = new FlowDriver();
  for (const events of messages) driver.turn(...events);
  return driver;
}
const HELLO = [{ type: 'SOCIAL', kind: 'greeting' }] as const;
const SAFE = [yes] as const;
const ADULT = [facts({ age: 30 }), info] as const;
const CHILD = [facts({ age: 15 }), info] as const;

describe('supportFlow', () => {
  it('has an id and a flow version for stored snapshots', () => {
    expect(FLOW_VERSION).toBe(3);
    expect(supportFlow.id).toBe('support');
  });

  describe('the first message', () => {
    it('says nothing until someone writes, and knows nothing', () => {
      const driver = new FlowDriver();
      expect(driver.value).toBe('"start"');
      expect(driver.context).toEqual(initialSupportContext());
    });

    it('answers a greeting with the short welcome and asks whether they are safe, scheduling a follow-up', () => {
      const emitted = new FlowDriver().turn(...HELLO);
      expect(replyKeys(emitted)).toEqual(['welcome.short', 'safety.ask']);
      expect(replies(emitted)[1]?.choices).toEqual(['safe', 'not_safe', 'language']);
      expect(effects(emitted)).toEqual([{ type: 'schedule', check: 'safety' }]);
    });

    it.each([
      ['a request for a person', { type: 'HUMAN' }, 'handoffRequested'],
      ['the menu', { type: 'MENU' }, 'menu'],
      ['a change of language', { type: 'LANGUAGE' }, 'language'],
      ['delete my data', { type: 'DELETE' }, 'confirmDelete'],
    ] as const)('greets with the short welcome before acting on %s as the very first message', (_, event, state) => {
      const driver = new FlowDriver();
      expect(replyKeys(driver.turn(event))[0]).toBe('welcome.short');
      expect(driver.value).toContain(state);
      expect(replyKeys(driver.turn(event))).not.toContain('welcome.short');
    });

    it('gives the full welcome for a platform start', () => {
      expect(replyKeys(new FlowDriver().turn({ type: 'START' }))).toEqual(['welcome.intro', 'safety.ask']);
    });

    it('answers a first question in the same turn, after the short welcome and before the first step', () => {
      expect(replyKeys(new FlowDriver().turn({ type: 'QUESTION', question: 'shouldPay' }))).toEqual([
        'welcome.short', 'answer.shouldPay.any', 'safety.ask',
      ]);
    });

    it('gives a child the child route in the same turn as the welcome ("im 14 and a girl says…")', () => {
      const driver = new FlowDriver();
      expect(replyKeys(driver.turn(facts({ age: 14, demand: 'money', who: 'stranger' }), info))).toEqual([
        'welcome.short', 'under18.message', 'safety.ask',
      ]);
      expect(driver.context.facts).toMatchObject({ age: 14, ageGroup: 'under18', demand: 'money', who: 'stranger' });
    });

    it('answers a first crisis before anything else, then the short welcome, asks for a call handler and checks on them if they go quiet', () => {
      const driver = new FlowDriver();
      const emitted = driver.turn(risk('harmed'));
      expect(replyKeys(emitted)).toEqual(['risk.harmed.unknown', 'welcome.short']);
      expect(effects(emitted)).toEqual([
        { type: 'handoff', reason: 'crisis' },
        { type: 'schedule', check: 'safety' },
      ]);
      // Carrying on skips "are you safe?" (the crisis answered it) and the welcome they have had.
      expect(replyKeys(driver.turn(next))).toEqual(['age.ask']);
    });

    it('keeps facts silent and remembers them', () => {
      const driver = new FlowDriver();
      expect(driver.turn(facts({ paid: true, payMethod: 'crypto' }))).toEqual([]);
      expect(driver.value).toBe('"start"');
      expect(driver.context.facts).toMatchObject({ paid: true, payMethod: 'crypto' });
    });
  });

  describe('are you safe right now?', () => {
    it('goes on to the age question after a yes', () => {
      expect(replyKeys(after(HELLO).turn(yes))).toEqual(['safety.glad', 'age.ask']);
    });

    it.each([no, unsure])('asks directly about their life after $answer, never taking it as safe', (answer) => {
      const driver = after(HELLO);
      const emitted = driver.turn(answer);
      expect(replyKeys(emitted)).toEqual(['riskCheck.ask']);
      expect(replies(emitted)[0]?.choices).toEqual(['yes', 'no', 'danger']);
      expect(effects(emitted)).toEqual([{ type: 'schedule', check: 'safety' }]);
    });

    it('follows up silence with crisis contacts, and asks again', () => {
      const driver = after(HELLO);
      expect(replyKeys(driver.turn({ type: 'SILENCE', check: 'safety' }))).toEqual(['risk.silence.unknown']);
      expect(driver.value).toBe(state('safety'));
    });

    it('ignores a due check once they have moved on', () => {
      expect(after(HELLO, SAFE).turn({ type: 'SILENCE', check: 'safety' })).toEqual([]);
    });

    it.each([yes, unsure])('gives the crisis reply and a call handler when the direct question is answered $answer', (answer) => {
      const driver = after(HELLO, [no]);
      const emitted = driver.turn(answer);
      expect(replyKeys(emitted)).toEqual(['risk.thoughts.unknown']);
      expect(effects(emitted)).toEqual([
        { type: 'handoff', reason: 'crisis' },
        { type: 'schedule', check: 'safety' },
      ]);
    });

    it('checks on someone who goes quiet after a crisis reply, with the crisis contacts', () => {
      const driver = after(HELLO, [no], [yes]);
      expect(replyKeys(driver.turn({ type: 'SILENCE', check: 'safety' }))).toEqual(['risk.silence.unknown']);
    });

    it('carries on past "are you safe?" when the direct question is answered no', () => {
      expect(replyKeys(after(HELLO, [no]).turn(no))).toEqual(['riskCheck.no', 'age.ask']);
    });

    it('gives the danger reply for "someone might hurt me"', () => {
      expect(replyKeys(after(HELLO, [no]).turn(risk(undefined, true)))).toEqual(['risk.danger']);
    });

    it('asks a parent whether the person they are writing about is safe', () => {
      expect(replyKeys(new FlowDriver().turn(facts({ writer: 'parent', age: 15 }), info))).toEqual(['welcome.short', 'safety.askOther']);
    });
  });

  describe('risk, graded', () => {
    const young = [facts({ age: 15 }), info] as const;
    const older = [facts({ age: 27 }), info] as const;
    it.each([
      ['harmed', young, 'risk.harmed.young'], ['harmed', older, 'risk.harmed.older'], ['harmed', [], 'risk.harmed.unknown'],
      ['imminent', young, 'risk.imminent.young'], ['imminent', older, 'risk.imminent.older'], ['imminent', [], 'risk.imminent.unknown'],
      ['thoughts', young, 'risk.thoughts.young'], ['thoughts', older, 'risk.thoughts.older'], ['thoughts', [], 'risk.thoughts.unknown'],
    ] as const)('answers %s with its own reply for who Childline is for (%#)', (level, age, key) => {
      const driver = after(HELLO, SAFE);
      if (age.length) driver.turn(...age);
      expect(replyKeys(driver.turn(risk(level)))[0]).toBe(key);
    });

    it('words the reply for the helper when a parent or friend writes about someone else', () => {
      const driver = new FlowDriver();
      driver.turn(facts({ writer: 'friend' }), info);
      expect(replyKeys(driver.turn(risk('harmed')))).toEqual(['risk.harmedOther.unknown']);
    });

    it('answers risk first from every step of the guided flow', () => {
      const driver = after(HELLO, SAFE, ADULT, [facts({ paid: false }), info], [next], [next], [next]);
      expect(driver.value).toBe(state('takedown'));
      expect(replyKeys(driver.turn(risk('imminent')))).toEqual(['risk.imminent.older']);
    });

    it('adds the danger line to a crisis reply when both are disclosed', () => {
      expect(replyKeys(after(HELLO).turn(risk('thoughts', true)))).toEqual(['risk.thoughts.unknown', 'risk.dangerToo']);
    });

    it('meets what is said after a 999 reply with the same urging, never "didn\'t understand"', () => {
      const driver = after(HELLO, SAFE);
      driver.turn(risk('harmed'));
      expect(replyKeys(driver.turn({ type: 'UNKNOWN' }))).toEqual(['risk.followUp.unknown']);
      expect(replyKeys(driver.turn({ type: 'SOCIAL', kind: 'ok' }))).toEqual(['risk.followUp.unknown']);
      expect(replyKeys(driver.turn({ type: 'HELP' }))).toEqual(['risk.followUp.unknown']);
      expect(replyKeys(driver.turn({ type: 'QUESTION', question: 'trouble' }))).toEqual(['answer.trouble.unknown', 'resume.risk']);
      // Known to be 15: Childline is named without "if you are under 19".
      driver.turn(facts({ age: 15 }), info);
      expect(replyKeys(driver.turn({ type: 'UNKNOWN' }))).toEqual(['risk.followUp.young']);
    });

    it('moves on with the conversation after a thoughts reply', () => {
      const driver = after(HELLO);
      driver.turn(risk('thoughts'));
      expect(replyKeys(driver.turn(facts({ age: 16 }), info))).toEqual(['under18.message', 'paid.question']);
    });

    it('meets feelings said after a thoughts reply with the contacts again, and carries on at "ok"', () => {
      const driver = after(HELLO, SAFE, ADULT);
      driver.turn(risk('thoughts'));
      expect(replyKeys(driver.turn({ type: 'ANSWER', answer: 'no' }))).toEqual(['risk.stillHere.older']);
      expect(replyKeys(driver.turn({ type: 'SOCIAL', kind: 'upset' }))).toEqual(['risk.stillHere.older']);
      expect(replyKeys(driver.turn({ type: 'SOCIAL', kind: 'ok' }))).toEqual(['paid.question']);
    });

    it('asks directly about a hint, and does not hand off until it is answered', () => {
      const driver = after(HELLO, SAFE, ADULT);
      const emitted = driver.turn(risk('unclear'));
      expect(replyKeys(emitted)).toEqual(['riskCheck.ask']);
      expect(effects(emitted).filter((e) => e.type === 'handoff')).toEqual([]);
      expect(replyKeys(driver.turn(no))).toEqual(['riskCheck.no', 'paid.question']);
    });

    it('does not ask about a hint once a crisis is known: the crisis reply again', () => {
      const driver = after(HELLO);
      driver.turn(risk('thoughts'));
      expect(replyKeys(driver.turn(risk('unclear')))).toEqual(['risk.thoughts.unknown']);
    });

    it('makes the ticket a child at risk when a child discloses a crisis', () => {
      const emitted = after(HELLO, CHILD).turn(risk('thoughts'));
      expect(effects(emitted)).toContainEqual({ type: 'handoff', reason: 'child-at-risk' });
    });

    it('puts crisis contacts first when nobody can come, once a risk is known', () => {
      const driver = after(HELLO);
      driver.turn(risk('thoughts'));
      expect(replyKeys(driver.turn({ type: 'HUMAN' }, { type: 'HANDOFF_UNAVAILABLE', why: 'busy' }))).toEqual([
        'risk.contacts.unknown', 'handoff.unavailable.busy',
      ]);
    });

    it('adds the language\'s own crisis lines after every crisis reply, and its own helplines where help is listed', () => {
      expect(allReplyKeys(after(HELLO).turn(risk('harmed')))).toEqual(['risk.harmed.unknown', LOCAL_CRISIS]);
      expect(allReplyKeys(after(HELLO).turn(risk(undefined, true)))).toEqual(['risk.danger', LOCAL_CRISIS]);
      expect(allReplyKeys(after(HELLO).turn({ type: 'QUESTION', question: 'whoToCall' }))).toEqual(['answer.whoToCall.unknown', LOCAL_HELPLINES, 'resume.safety']);
    });

    it('never says the desk is there around the clock when it is only busy', () => {
      const keys = replyKeys(after(HELLO).turn({ type: 'HUMAN' }, { type: 'HANDOFF_UNAVAILABLE', why: 'busy' }));
      expect(keys).toEqual(['handoff.unavailable.busy']);
    });
  });

  describe('facts remembered and used', () => {
    it('never asks the age or the payment it was already told', () => {
      const driver = new FlowDriver();
      driver.turn(facts({ age: 27, paid: true, payMethod: 'giftCard' }), info);
      expect(replyKeys(driver.turn(yes))).toEqual(['safety.glad', 'paid.alreadyGiftCard']);
    });

    it('moves on from the age step as soon as the age is told, whatever else the message was', () => {
      const driver = after(HELLO, SAFE);
      expect(replyKeys(driver.turn(facts({ age: 15 }), { type: 'QUESTION', question: 'trouble' }))).toEqual([
        'under18.message', 'answer.trouble.child', 'paid.question',
      ]);
    });

    it('accepts "prefer not to say" and gives help for any age', () => {
      const driver = after(HELLO, SAFE);
      expect(replyKeys(driver.turn(facts({ ageGroup: 'declined' }), info))).toEqual(['age.declined', 'paid.question']);
      driver.turn(facts({ paid: false }), info);
      driver.turn(next);
      driver.turn(next);
      expect(replyKeys(driver.turn(next))).toEqual(['takedown.unknown']);
    });

    it('keeps the child route once known, whatever a later message says', () => {
      const driver = after(HELLO, SAFE, CHILD);
      driver.turn(facts({ age: 30 }), info);
      expect(driver.context.facts).toMatchObject({ age: 15, ageGroup: 'under18' });
    });

    it('reads yes and no to "have you paid?"', () => {
      expect(replyKeys(after(HELLO, SAFE, ADULT).turn(yes))).toEqual(['paid.already']);
      expect(replyKeys(after(HELLO, SAFE, ADULT).turn(no))).toEqual(['paid.dontPay']);
    });

    it('gives a child the child routes, an adult the adult ones, and someone of unknown age both', () => {
      const walk = (age: readonly SupportEvent[]) => {
        const driver = after(HELLO, SAFE);
        if (age.length) driver.turn(...age);
        else driver.turn(facts({ ageGroup: 'declined' }), info);
        driver.turn(facts({ paid: false }), info);
        driver.turn(next);
        driver.turn(next);
        return replyKeys(driver.turn(next));
      };
      expect(walk(CHILD)).toEqual(['takedown.child']);
      expect(walk(ADULT)).toEqual(['takedown.adult']);
      expect(walk([])).toEqual(['takedown.unknown']);
    });

    it('tells an adult whose images were taken under 18 that Take It Down still applies', () => {
      const driver = after(HELLO, SAFE, [facts({ age: 22, takenUnder18: true, paid: false }), info], [next], [next]);
      expect(replyKeys(driver.turn(next))).toEqual(['takedown.adultTakenYoung']);
    });
  });

  describe('routes', () => {
    it('tells someone with a bluff email it is very likely a scam, without asking their age', () => {
      const driver = new FlowDriver();
      driver.turn(facts({ images: 'none', demand: 'money', payMethod: 'crypto' }), info);
      expect(replyKeys(driver.turn(yes))).toEqual(['safety.glad', 'bluffEmail.advice']);
    });

    it('tells someone who paid a bluff email to report it', () => {
      const driver = new FlowDriver();
      driver.turn(facts({ images: 'none', paid: true }), info);
      expect(replyKeys(driver.turn(yes))).toEqual(['safety.glad', 'bluffEmail.paid']);
    });

    it.each([
      ['parent', 15, 'helper.parent.child'], ['parent', undefined, 'helper.parent.unknown'], ['teacher', 14, 'helper.teacher'],
      ['friend', 16, 'helper.friend.child'], ['friend', 25, 'helper.friend.any'],
    ] as const)('gives a %s writing about someone (age %s) the advice for them', (writer, age, key) => {
      const driver = new FlowDriver();
      driver.turn(facts({ writer, ...(age !== undefined && { age }) }), info);
      const keys = replyKeys(driver.turn(yes));
      if (age === undefined) {
        expect(keys).toEqual(['safety.glad', 'age.askOther']);
        expect(replyKeys(driver.turn(facts({ ageGroup: 'declined' }), info))).toEqual(['age.declined', key]);
      } else expect(keys).toEqual(['safety.glad', key]);
      driver.turn(next);
      driver.turn(next);
      expect(replyKeys(driver.turn(next))).toEqual(['report.helper']);
    });

    it('tells a child asked for more images not to send anything, and does not ask about paying', () => {
      const driver = new FlowDriver();
      driver.turn(facts({ age: 14, demand: 'sexual' }), info);
      expect(replyKeys(driver.turn(yes))).toEqual(['safety.glad', 'moreImages.child']);
      expect(replyKeys(driver.turn(next))).toEqual(['contact.stop']);
    });

    it('gives the extra help for an ex or someone they know, after the take-down step', () => {
      const driver = after(HELLO, SAFE, [facts({ age: 24, who: 'partner', paid: false }), info], [next], [next]);
      driver.turn(next);
      expect(replyKeys(driver.turn(next))).toEqual(['knownPerson.adult']);
    });

    it('gives Galop to someone threatened with being outed', () => {
      const driver = after(HELLO, SAFE, [facts({ age: 19, outing: true, paid: false }), info], [next], [next], [next]);
      expect(replyKeys(driver.turn(next))).toEqual(['outing.advice']);
    });

    it('gives the already-shared take-down advice when the images are out', () => {
      const driver = after(HELLO, SAFE, [facts({ age: 15, images: 'shared', paid: false }), info], [next], [next]);
      expect(replyKeys(driver.turn(next))).toEqual(['takedown.shared.child']);
    });

    it('says fake images are still abuse before the take-down advice', () => {
      const driver = after(HELLO, SAFE, [facts({ age: 30, images: 'fake', paid: false }), info], [next], [next]);
      expect(replyKeys(driver.turn(next))).toEqual(['takedown.fake', 'takedown.adult']);
    });
  });

  describe('questions and social turns at any step', () => {
    it.each(QUESTIONS)('answers "%s" and brings them back with one short line and the step\'s buttons', (question) => {
      const driver = after(HELLO);
      const emitted = driver.turn({ type: 'QUESTION', question });
      const keys = replyKeys(emitted);
      expect(ANSWER_REPLIES[question].map((v) => v.key)).toContain(keys[0]);
      expect(keys.at(-1)).toBe('resume.safety');
      expect(replies(emitted).at(-1)?.choices).toEqual(['safe', 'not_safe']);
      expect(keys).not.toContain('safety.ask');
      expect(driver.value).toBe(state('safety'));
    });

    it('carries on from an advice step on "ok", but not from a question', () => {
      const advice = after(HELLO, SAFE, ADULT, [facts({ paid: false }), info]);
      expect(replyKeys(advice.turn({ type: 'SOCIAL', kind: 'ok' }))).toEqual(['contact.stop']);
      expect(replyKeys(after(HELLO, SAFE).turn({ type: 'SOCIAL', kind: 'ok' }))).toEqual(['resume.age']);
    });

    it.each(['thanks', 'greeting', 'areYouThere', 'abuse', 'emoji', 'better', 'upset'] as const)('answers %s in kind and brings them back', (kind) => {
      expect(replyKeys(after(HELLO).turn({ type: 'SOCIAL', kind }))).toEqual([`social.${kind}`, 'resume.safety']);
    });

    it('says goodbye without asking anything more', () => {
      expect(replyKeys(after(HELLO).turn({ type: 'SOCIAL', kind: 'bye' }))).toEqual(['social.bye']);
    });

    it('says once that it did not understand, with the step\'s short line, not the whole step again', () => {
      expect(replyKeys(after(HELLO, SAFE).turn({ type: 'UNKNOWN' }))).toEqual(['unknown.notSure', 'resume.age']);
    });

    it('asks people not to send images and stays where they were', () => {
      const driver = after(HELLO);
      expect(replyKeys(driver.turn({ type: 'ATTACHMENT' }))).toEqual(['attachment.notNeeded', 'resume.safety']);
      expect(driver.value).toBe(state('safety'));
    });

    it('thanks them for facts told at an advice step and stays', () => {
      const driver = after(HELLO, SAFE, ADULT, [facts({ paid: false }), info]);
      expect(replyKeys(driver.turn(facts({ who: 'partner' }), info))).toEqual(['info.noted', 'resume.advice']);
    });
  });

  describe('commands', () => {
    it('lists questions in the menu and carries on to where they were', () => {
      const driver = after(HELLO, SAFE, ADULT);
      const menu = replies(driver.turn({ type: 'MENU' }));
      expect(menu.map((r) => r.key)).toEqual(['menu.intro']);
      expect(menu[0]?.choices).toContain('q:shouldPay');
      expect(replyKeys(driver.turn({ type: 'QUESTION', question: 'evidence' }))).toEqual(['answer.evidence.any', 'resume.menu']);
      expect(replyKeys(driver.turn(next))).toEqual(['paid.question']);
    });

    it('explains how it works and brings them back', () => {
      expect(replyKeys(after(HELLO).turn({ type: 'HELP' }))).toEqual(['help.howItWorks', 'resume.safety']);
    });

    it('asks for a person and says a call handler is coming when queued', () => {
      const driver = after(HELLO);
      const emitted = driver.turn({ type: 'HUMAN' });
      expect(effects(emitted)).toEqual([{ type: 'handoff', reason: 'requested' }]);
      expect(replyKeys(driver.turn({ type: 'HANDOFF_QUEUED' }))).toEqual(['handoff.queued']);
      expect(driver.context.handoff).toBe('queued');
    });

    it('lets a queued person leave the queue, and tells them when nobody picked them up', () => {
      const driver = after(HELLO, [{ type: 'HUMAN' }], [{ type: 'HANDOFF_QUEUED' }]);
      const emitted = driver.turn({ type: 'CANCEL' });
      expect(replyKeys(emitted)).toEqual(['handoff.cancelled']);
      expect(effects(emitted)).toEqual([{ type: 'leaveHandoff' }]);
      const again = after(HELLO, [{ type: 'HUMAN' }], [{ type: 'HANDOFF_QUEUED' }]);
      expect(replyKeys(again.turn({ type: 'HANDOFF_TIMEOUT' }))).toEqual(['handoff.timeout']);
    });

    it('puts crisis contacts first in a time-out once a risk is known', () => {
      const driver = after(HELLO);
      driver.turn(risk('thoughts'));
      driver.turn({ type: 'HANDOFF_QUEUED' });
      expect(replyKeys(driver.turn({ type: 'HANDOFF_TIMEOUT' }))).toEqual(['risk.contacts.unknown', 'handoff.timeout']);
    });

    it('offers languages, remembers the choice and goes back to where they were', () => {
      const driver = after(HELLO, SAFE);
      expect(replyKeys(driver.turn({ type: 'LANGUAGE' }))).toEqual(['language.choose']);
      expect(replyKeys(driver.turn({ type: 'SET_LANGUAGE', locale: 'cy' }))).toEqual(['language.changed', 'age.ask']);
      expect(driver.context.locale).toBe('cy');
    });

    it('switches language in place when asked by name at a step', () => {
      const driver = after(HELLO);
      expect(replyKeys(driver.turn({ type: 'SET_LANGUAGE', locale: 'pl' }))).toEqual(['language.changed', 'resume.safety']);
      expect(driver.context.locale).toBe('pl');
    });

    it('asks before deleting, keeps everything on no, and erases and forgets everything on yes', () => {
      const keep = after(HELLO, SAFE, CHILD);
      keep.turn({ type: 'DELETE' });
      expect(replyKeys(keep.turn(no))).toEqual(['delete.cancelled', 'paid.question']);
      const erase = after(HELLO, SAFE, CHILD);
      expect(replyKeys(erase.turn({ type: 'DELETE' }))).toEqual(['delete.confirm']);
      const emitted = erase.turn(yes);
      expect(replyKeys(emitted)).toEqual(['delete.done']);
      expect(effects(emitted)).toEqual([{ type: 'erase' }]);
      expect(erase.context).toEqual(initialSupportContext());
      // Whatever comes next starts afresh, as a first message.
      expect(replyKeys(erase.turn(...HELLO))).toEqual(['welcome.short', 'safety.ask']);
    });
  });

  describe('with a call handler', () => {
    const withHandler = () => after(HELLO, [{ type: 'HUMAN' }], [{ type: 'HANDOFF_QUEUED' }], [{ type: 'HANDLER_JOINED' }]);

    it('stays silent and relays the handler\'s words', () => {
      const driver = withHandler();
      expect(driver.value).toBe('"withHandler"');
      expect(driver.turn({ type: 'UNKNOWN' })).toEqual([]);
      expect(driver.turn({ type: 'QUESTION', question: 'shouldPay' })).toEqual([]);
      expect(replies(driver.turn({ type: 'HANDLER_MESSAGE', text: 'Hello' }))).toEqual([{ type: 'reply', key: 'handoff.handlerMessage', vars: { text: 'Hello' } }]);
    });

    it('still answers crisis and danger at once', () => {
      expect(replyKeys(withHandler().turn(risk('imminent')))).toEqual(['risk.imminent.unknown']);
      expect(replyKeys(withHandler().turn(risk(undefined, true)))).toEqual(['risk.danger']);
    });

    it('lets the person leave the handler\'s chat with cancel or menu', () => {
      for (const event of [{ type: 'CANCEL' }, { type: 'MENU' }] as const) {
        const driver = withHandler();
        const emitted = driver.turn(event);
        expect(replyKeys(emitted)).toEqual(['handoff.left', 'menu.intro']);
        expect(effects(emitted)).toEqual([{ type: 'leaveHandoff' }]);
        expect(driver.context.handoff).toBe('none');
      }
    });

    it('offers a button to leave the chat when the handler joins', () => {
      const joined = after(HELLO, [{ type: 'HUMAN' }], [{ type: 'HANDOFF_QUEUED' }]).turn({ type: 'HANDLER_JOINED' });
      expect(replies(joined)).toEqual([expect.objectContaining({ key: 'handoff.joined', choices: ['leave'] })]);
    });

    it('tells the person when their call handler had to leave, puts them back in the queue, and lets the next handler join', () => {
      const driver = withHandler();
      // Back with the bot while they wait: a short menu, never the step's whole message again.
      expect(replyKeys(driver.turn({ type: 'HANDLER_LEFT' }))).toEqual(['handoff.handlerLeft', 'menu.intro']);
      expect(driver.context.handoff).toBe('queued');
      expect(replyKeys(driver.turn({ type: 'HANDLER_JOINED' }))).toEqual(['handoff.joined']);
      expect(driver.context.handoff).toBe('withHandler');
    });

    it('ignores a handler leaving when no handler has the chat', () => {
      const driver = after(HELLO);
      expect(driver.turn({ type: 'HANDLER_LEFT' })).toEqual([]);
      expect(driver.context.handoff).toBe('none');
    });

    it('goes back to the queue on a transfer and to the menu when the handler ends it', () => {
      const transferred = withHandler();
      expect(replyKeys(transferred.turn({ type: 'HANDLER_TRANSFERRED' }))).toEqual(['handoff.transferred', 'menu.intro']);
      expect(transferred.context.handoff).toBe('queued');
      expect(replyKeys(withHandler().turn({ type: 'HANDLER_ENDED' }))).toEqual(['handoff.ended', 'menu.intro']);
    });
  });
});
