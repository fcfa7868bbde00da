import { describe, expect, it } from 'vitest';
import { FLOW_VERSION, initialSupportContext, supportFlow } from '../../flows/support-flow.js';
import type { SupportEvent } from '../../flows/support-events.js';
import { FlowDriver, replies, replyKeys } from './flow-driver.js';

const next = { type: 'NEXT' } as const;
const main = (step: string) => JSON.stringify({ conversation: { main: step } });
const top = (state: string) => JSON.stringify({ conversation: state });

/** A driver that has followed the buttons to a step. */
function at(events: readonly SupportEvent[]): FlowDriver {
  const driver = new FlowDriver();
  driver.sendAll(events);
  return driver;
}
const TO_SAFETY = [{ type: 'START' }, next] as const;
const TO_AGE = [...TO_SAFETY, { type: 'NO' }] as const;
const TO_EVIDENCE = [...TO_AGE, { type: 'AGE', group: 'adult' }, { type: 'NOT_PAID' }, next, next] as const;

describe('supportFlow', () => {
  it('has a flow version for stored snapshots', () => {
    expect(FLOW_VERSION).toBe(2);
    expect(supportFlow.id).toBe('support');
  });

  describe('start', () => {
    it('says nothing until the first message', () => {
      const driver = new FlowDriver();
      expect(driver.value).toBe('"start"');
      expect(driver.context).toEqual(initialSupportContext());
    });

    it.each([{ type: 'START' }, { type: 'UNKNOWN' }, { type: 'YES' }, { type: 'NEXT' }] as const)(
      'welcomes on a first $type', (event) => {
        const driver = new FlowDriver();
        expect(replies(driver.send(event))).toEqual([{ type: 'reply', key: 'welcome.intro', choices: ['next'] }]);
        expect(driver.value).toBe(main('welcome'));
      });

    it('answers a first topic with the welcome’s first line, then the topic', () => {
      expect(replyKeys(new FlowDriver().send({ type: 'TOPIC', topic: 'evidence' }))).toEqual(['welcome.short', 'evidence.save']);
      expect(replyKeys(new FlowDriver().send({ type: 'TOPIC', topic: 'crime' }))).toEqual(['welcome.short', 'topic.crime']);
    });

    it('answers a first crisis at once, and carrying on then goes to the welcome', () => {
      const driver = new FlowDriver();
      expect(replyKeys(driver.send({ type: 'CRISIS', danger: false }))).toEqual(['crisis.general']);
      expect(replyKeys(driver.send(next))).toEqual(['welcome.intro']);
    });

    it('notes facts silently', () => {
      const driver = new FlowDriver();
      expect(driver.send({ type: 'FACTS', age: 15, paid: true })).toEqual([]);
      expect(driver.value).toBe('"start"');
      expect(driver.context).toMatchObject({ age: 15, ageGroup: 'under18', paid: true, flags: { under18: true } });
    });
  });

  describe('guided steps', () => {
    it('follows the adult button path in order', () => {
      const driver = new FlowDriver();
      const keys = [
        { type: 'START' }, next, { type: 'NO' }, { type: 'AGE', group: 'adult' }, { type: 'NOT_PAID' }, next, next, next, next, next,
      ].map((e) => replyKeys(driver.send(e as SupportEvent)));
      expect(keys).toEqual([
        ['welcome.intro'], ['safety.question'], ['age.question'], ['paid.question'], ['paid.dontPay'],
        ['contact.stop'], ['evidence.save'], ['takedown.adult'], ['report.adult'], ['summary.adult'],
      ]);
      expect(driver.context.seen).toEqual(['welcome', 'safety', 'age', 'paid', 'notPaidAdvice', 'contact', 'evidence', 'takedown', 'reporting', 'summary']);
    });

    it('asks the safety question with its three answers', () => {
      expect(replies(at([{ type: 'START' }]).send(next))).toEqual([
        { type: 'reply', key: 'safety.question', choices: ['danger', 'crisis', 'safe'] },
      ]);
    });

    it.each([{ type: 'CRISIS', danger: false }, { type: 'YES' }] as const)(
      'treats $type at the safety question as at risk, then carries on to the age question', (event) => {
        const driver = at(TO_SAFETY);
        const emitted = driver.send(event);
        expect(replyKeys(emitted)).toEqual(['crisis.general']);
        expect(emitted).toContainEqual({ type: 'handoff', reason: 'crisis' });
        expect(driver.context.flags.crisis).toBe(true);
        expect(replyKeys(driver.send(next))).toEqual(['age.question']);
      });

    it('gives 999 for danger at the safety question, then carries on to the age question', () => {
      const driver = at(TO_SAFETY);
      const emitted = driver.send({ type: 'DANGER' });
      expect(replies(emitted)).toEqual([{ type: 'reply', key: 'danger.now', choices: ['continue', 'human'] }]);
      expect(emitted).toContainEqual({ type: 'handoff', reason: 'danger' });
      expect(replyKeys(driver.send(next))).toEqual(['age.question']);
    });

    it('skips the safety question once crisis was disclosed', () => {
      const driver = new FlowDriver();
      driver.send({ type: 'CRISIS', danger: false });
      driver.send(next);
      expect(replyKeys(driver.send(next))).toEqual(['age.question']);
    });

    it('takes a yes to "are you under 18?" as the child route', () => {
      const driver = at(TO_AGE);
      expect(replyKeys(driver.send({ type: 'YES' }))).toEqual(['under18.message']);
      expect(driver.context.flags.under18).toBe(true);
    });

    it('skips the age and payment questions when both are already known', () => {
      const driver = at([{ type: 'FACTS', age: 30, paid: true }, { type: 'START' }, next]);
      expect(replyKeys(driver.send({ type: 'NO' }))).toEqual(['paid.already']);
    });

    it('gives the under-18 route through every later step', () => {
      const driver = at(TO_AGE);
      const keys = [{ type: 'AGE', group: 'under18', age: 15 }, next, { type: 'PAID' }, next, next, next, next, next]
        .map((e) => replyKeys(driver.send(e as SupportEvent)));
      expect(keys).toEqual([
        ['under18.message'], ['paid.question'], ['paid.already'], ['contact.stop'], ['evidence.save'],
        ['takedown.child'], ['report.child'], ['summary.child'],
      ]);
    });

    it('shows the known-person help after take-down when they said they know the blackmailer', () => {
      const driver = at([...TO_EVIDENCE, { type: 'FACTS', age: 25 }]);
      expect(replyKeys(driver.send({ type: 'KNOWN_PERSON' }))).toEqual(['knownPerson.adult']);
      expect(replyKeys(driver.send(next))).toEqual(['report.adult']);
      const later = at([...TO_EVIDENCE]);
      later.send({ type: 'KNOWN_PERSON' });
      later.send({ type: 'TOPIC', topic: 'takedown' });
      expect(replyKeys(later.send(next))).toEqual(['report.adult']);
      const child = at([...TO_EVIDENCE, { type: 'AGE', group: 'under18' }, next]);
      expect(replies(child.send(next))[0]).toMatchObject({ key: 'takedown.child', choices: ['next', 'known'] });
      expect(replyKeys(child.send(next))).toEqual(['report.child']);
      expect(replyKeys(child.send({ type: 'KNOWN_PERSON' }))).toEqual(['knownPerson.child']);
    });
  });

  describe('interrupts', () => {
    it('shows the under-18 message from anywhere, then returns to the step with child wording', () => {
      const driver = at([...TO_EVIDENCE, next]);
      expect(replyKeys(driver.send({ type: 'AGE', group: 'under18' }))).toEqual(['under18.message']);
      expect(replyKeys(driver.send(next))).toEqual(['takedown.child']);
    });

    it('notes an adult age outside the age step and asks the current step again', () => {
      const driver = at(TO_EVIDENCE);
      expect(replyKeys(driver.send({ type: 'AGE', group: 'adult', age: 22 }))).toEqual(['age.noted', 'evidence.save']);
      expect(driver.context).toMatchObject({ age: 22, ageGroup: 'adult' });
    });

    it('keeps the child route once a child has said so, whatever a later age says', () => {
      const driver = at([...TO_AGE, { type: 'AGE', group: 'under18' }, { type: 'FACTS', age: 20 }]);
      expect(driver.context.flags.under18).toBe(true);
      driver.send({ type: 'TOPIC', topic: 'takedown' });
      expect(replyKeys(driver.send({ type: 'TOPIC', topic: 'takedown' }))).toEqual(['takedown.child']);
    });

    it('asks for a person urgently when a child at risk is identified', () => {
      const driver = at(TO_SAFETY);
      driver.send({ type: 'CRISIS', danger: false });
      expect(driver.send({ type: 'AGE', group: 'under18' })).toContainEqual({ type: 'handoff', reason: 'child-at-risk' });
      const silent = new FlowDriver();
      silent.send({ type: 'DANGER' });
      expect(silent.send({ type: 'FACTS', age: 13 })).toEqual([{ type: 'handoff', reason: 'child-at-risk' }]);
    });

    it('explains how to use the bot and asks the same step again', () => {
      const driver = at(TO_EVIDENCE);
      expect(replyKeys(driver.send({ type: 'HELP' }))).toEqual(['help.howItWorks', 'evidence.save']);
      expect(driver.value).toBe(main('evidence'));
      driver.send({ type: 'MENU' });
      expect(replyKeys(driver.send({ type: 'HELP' }))).toEqual(['help.howItWorks', 'menu.intro']);
    });

    it('says kindly that it did not understand and re-asks with the step’s buttons', () => {
      const driver = at(TO_AGE);
      expect(replies(driver.send({ type: 'UNKNOWN' }))).toEqual([
        { type: 'reply', key: 'unknown.notSure' },
        { type: 'reply', key: 'age.question', choices: ['under18', 'adult'] },
      ]);
    });

    it('asks people not to send images and stays where they were', () => {
      const driver = at(TO_EVIDENCE);
      expect(replyKeys(driver.send({ type: 'ATTACHMENT' }))).toEqual(['attachment.notNeeded']);
      expect(driver.value).toBe(main('evidence'));
      expect(replyKeys(driver.send(next))).toEqual(['takedown.adult']);
    });

    it('lists topics in the menu, opens one, and carries on back to the flow', () => {
      const driver = at(TO_EVIDENCE);
      const menu = replies(driver.send({ type: 'MENU' }))[0];
      expect(menu?.choices).toEqual(expect.arrayContaining(['topic:evidence', 'topic:paying', 'human', 'language', 'delete']));
      expect(replyKeys(driver.send({ type: 'TOPIC', topic: 'sextortion' }))).toEqual(['topic.sextortion']);
      expect(replyKeys(driver.send(next))).toEqual(['evidence.save']);
    });

    it('sends "should I delete?" to the don’t-delete advice and "paying" to the payment question', () => {
      const driver = at(TO_EVIDENCE);
      expect(replyKeys(driver.send({ type: 'TOPIC', topic: 'deleting' }))).toEqual(['evidence.dontDelete']);
      expect(replyKeys(driver.send(next))).toEqual(['evidence.save']);
      expect(replyKeys(driver.send({ type: 'TOPIC', topic: 'paying' }))).toEqual(['paid.question']);
      expect(replyKeys(driver.send({ type: 'TOPIC', topic: 'blocking' }))).toEqual(['contact.stop']);
      expect(replyKeys(driver.send({ type: 'TOPIC', topic: 'reporting' }))).toEqual(['report.adult']);
      expect(replyKeys(driver.send({ type: 'TOPIC', topic: 'whoToCall' }))).toEqual(['topic.whoToCall']);
    });

    it('asks for a person, and tells them a call handler is coming when the queue takes them', () => {
      const driver = at(TO_EVIDENCE);
      const emitted = driver.send({ type: 'HUMAN' });
      expect(emitted).toContainEqual({ type: 'handoff', reason: 'requested' });
      expect(replies(emitted)).toEqual([]);
      expect(driver.value).toBe(top('handoffRequested'));
      expect(replies(driver.send({ type: 'HANDOFF_QUEUED' }))).toEqual([{ type: 'reply', key: 'handoff.queued', choices: ['continue', 'cancel'] }]);
      expect(driver.context.handoff).toBe('queued');
      // Asking again is answered again (the engine's queue keeps one ticket).
      expect(driver.send({ type: 'HUMAN' })).toContainEqual({ type: 'handoff', reason: 'requested' });
      expect(replyKeys(driver.send({ type: 'HANDOFF_QUEUED' }))).toEqual(['handoff.queued']);
      expect(replyKeys(driver.send(next))).toEqual(['evidence.save']);
    });

    it('says plainly when nobody can come, gives the other routes and keeps the advice', () => {
      const driver = at(TO_EVIDENCE);
      driver.send({ type: 'HUMAN' });
      expect(replies(driver.send({ type: 'HANDOFF_UNAVAILABLE' }))).toEqual([{ type: 'reply', key: 'handoff.unavailable', choices: ['continue', 'menu'] }]);
      expect(driver.context.handoff).toBe('none');
      expect(replyKeys(driver.send(next))).toEqual(['evidence.save']);
    });

    it('lets a queued person leave the queue, and tells them when nobody picked them up', () => {
      const driver = at(TO_EVIDENCE);
      driver.send({ type: 'HUMAN' });
      driver.send({ type: 'HANDOFF_QUEUED' });
      expect(replyKeys(driver.send({ type: 'CANCEL_HANDOFF' }))).toEqual(['handoff.cancelled']);
      expect(driver.context.handoff).toBe('none');
      driver.send({ type: 'HUMAN' });
      driver.send({ type: 'HANDOFF_QUEUED' });
      expect(replyKeys(driver.send({ type: 'HANDOFF_TIMEOUT' }))).toEqual(['handoff.timeout']);
      expect(driver.context.handoff).toBe('none');
      expect(replyKeys(driver.send({ type: 'HANDOFF_TIMEOUT' }))).toEqual([]);
    });

    it('stays silent while a call handler has the chat, except for crisis and danger, and offers the menu when it ends', () => {
      const driver = at(TO_EVIDENCE);
      driver.send({ type: 'HUMAN' });
      driver.send({ type: 'HANDOFF_QUEUED' });
      expect(replyKeys(driver.send({ type: 'HANDLER_JOINED' }))).toEqual(['handoff.joined']);
      expect(driver.context.handoff).toBe('withHandler');
      for (const event of [{ type: 'UNKNOWN' }, { type: 'TOPIC', topic: 'evidence' }, next, { type: 'HELP' }, { type: 'HUMAN' }] as const) {
        expect(replies(driver.send(event)), event.type).toEqual([]);
      }
      expect(replies(driver.send({ type: 'HANDLER_MESSAGE', text: 'Hi, I am Sam.' }))).toEqual([
        { type: 'reply', key: 'handoff.handlerMessage', vars: { text: 'Hi, I am Sam.' } },
      ]);
      const crisis = driver.send({ type: 'CRISIS', danger: false });
      expect(replyKeys(crisis)).toEqual(['crisis.general']);
      expect(driver.value).toBe(JSON.stringify('withHandler'));
      expect(replyKeys(driver.send({ type: 'DANGER' }))).toEqual(['danger.now']);
      expect(replyKeys(driver.send({ type: 'HANDLER_ENDED' }))).toEqual(['handoff.ended', 'menu.intro']);
      expect(driver.context.handoff).toBe('none');
    });

    it.each([{ type: 'MENU' }, { type: 'CANCEL_HANDOFF' }] as const)(
      'lets the person leave the call handler’s chat with $type: a short confirmation, then the menu', (event) => {
        const driver = at(TO_EVIDENCE);
        driver.send({ type: 'HUMAN' });
        driver.send({ type: 'HANDOFF_QUEUED' });
        driver.send({ type: 'HANDLER_JOINED' });
        expect(replyKeys(driver.send(event))).toEqual(['handoff.left', 'menu.intro']);
        expect(driver.context.handoff).toBe('none');
        expect(driver.value).toBe(top('menu'));
        expect(replies(driver.send({ type: 'HANDLER_MESSAGE', text: 'Are you still there?' }))).toEqual([]);
      });

    it('tells the person when their call handler had to leave, and puts them back in the queue', () => {
      const driver = at(TO_EVIDENCE);
      driver.send({ type: 'HUMAN' });
      driver.send({ type: 'HANDOFF_QUEUED' });
      driver.send({ type: 'HANDLER_JOINED' });
      expect(replyKeys(driver.send({ type: 'HANDLER_LEFT' }))).toEqual(['handoff.handlerLeft']);
      expect(driver.context.handoff).toBe('queued');
      expect(replyKeys(driver.send({ type: 'HANDLER_JOINED' }))).toEqual(['handoff.joined']);
      expect(driver.context.handoff).toBe('withHandler');
    });

    it('ignores a handler leaving when no handler has the chat', () => {
      const driver = at(TO_EVIDENCE);
      expect(driver.send({ type: 'HANDLER_LEFT' })).toEqual([]);
      expect(driver.context.handoff).toBe('none');
    });

    it('goes back to the queue when the call handler transfers the chat', () => {
      const driver = at(TO_EVIDENCE);
      driver.send({ type: 'HUMAN' });
      driver.send({ type: 'HANDOFF_QUEUED' });
      driver.send({ type: 'HANDLER_JOINED' });
      expect(replyKeys(driver.send({ type: 'HANDLER_TRANSFERRED' }))[0]).toBe('handoff.transferred');
      expect(driver.context.handoff).toBe('queued');
    });

    it('offers languages, stores the choice and returns to where they were', () => {
      const driver = at([...TO_EVIDENCE, { type: 'MENU' }]);
      expect(replies(driver.send({ type: 'LANGUAGE' }))).toEqual([{ type: 'reply', key: 'language.choose', choices: ['languages'] }]);
      expect(replyKeys(driver.send({ type: 'HELP' }))).toEqual(['help.howItWorks', 'language.choose']);
      expect(replyKeys(driver.send({ type: 'SET_LANGUAGE', locale: 'cy' }))).toEqual(['menu.intro']);
      expect(driver.context.locale).toBe('cy');
    });

    it('answers crisis and danger inside the language, delete and handoff prompts', () => {
      for (const detour of [{ type: 'LANGUAGE' }, { type: 'DELETE' }, { type: 'HUMAN' }] as const) {
        const driver = at([...TO_EVIDENCE, detour]);
        expect(replyKeys(driver.send({ type: 'CRISIS', danger: false }))).toEqual(['crisis.general']);
        expect(replyKeys(driver.send({ type: 'DANGER' }))).toEqual(['danger.now']);
        expect(replyKeys(driver.send(next))).toEqual(['evidence.save']);
      }
    });
  });

  describe('deleting data', () => {
    it('asks first, and "no" keeps everything and returns to the step', () => {
      const driver = at(TO_EVIDENCE);
      expect(replies(driver.send({ type: 'DELETE' }))).toEqual([{ type: 'reply', key: 'delete.confirm', choices: ['yes', 'no'] }]);
      expect(driver.send({ type: 'NO' })).toEqual([
        { type: 'reply', key: 'delete.cancelled' },
        { type: 'reply', key: 'evidence.save', choices: ['next'] },
      ]);
      expect(driver.context.seen).toContain('evidence');
    });

    it('erases on "yes", forgets everything, and any later message starts afresh', () => {
      const driver = at([...TO_EVIDENCE, { type: 'SET_LANGUAGE', locale: 'cy' }, { type: 'DELETE' }]);
      expect(driver.send({ type: 'YES' })).toEqual([{ type: 'erase' }, { type: 'reply', key: 'delete.done' }]);
      expect(driver.value).toBe('"deleted"');
      expect(driver.context).toEqual(initialSupportContext());
      expect(replyKeys(driver.send({ type: 'MENU' }))).toEqual(['welcome.intro']);
    });

    it('after an erase, carrying on from a crisis starts at the welcome, not the old step', () => {
      const driver = at([...TO_EVIDENCE, { type: 'DELETE' }, { type: 'YES' }]);
      expect(replyKeys(driver.send({ type: 'CRISIS', danger: false }))).toEqual(['crisis.general']);
      expect(replyKeys(driver.send(next))).toEqual(['welcome.intro']);
    });
  });

  describe('answers the engine can rely on', () => {
    it('handles YES, NO and NEXT only where a step asks for them, so snapshot.can() is meaningful', () => {
      const welcome = at([{ type: 'START' }]).persisted();
      const snapshot = supportFlow.resolveState(welcome as never);
      expect(snapshot.can({ type: 'NEXT' })).toBe(true);
      expect(snapshot.can({ type: 'YES' })).toBe(false);
      expect(snapshot.can({ type: 'NO' })).toBe(false);
      const age = supportFlow.resolveState(at(TO_AGE).persisted() as never);
      expect(age.can({ type: 'YES' })).toBe(true);
      expect(age.can({ type: 'NEXT' })).toBe(false);
    });
  });
});
