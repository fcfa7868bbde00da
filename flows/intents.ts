/**
 * What a message can ask or say besides risk and facts: the questions the
 * bot answers at any step, the commands that work from anywhere, and the
 * social turns it answers in kind. The understanding layer recognises these
 * and the flow answers them; both take the lists from here.
 */

/**
 * Questions people ask, each with its own answer. Answered at any step;
 * then the person is brought back to where they were with one short line.
 */
export const QUESTIONS = [
  'shouldPay', // should I pay, will they stop if I pay
  'moneyBack', // can I get my money back
  'crime', // is what they are doing a crime
  'trouble', // will I get in trouble, be arrested
  'parentsFindOut', // will my parents, school or work find out
  'privacy', // is this anonymous, what do you keep, can the police see this
  'afterReport', // what happens after I report, will police come to my house
  'isBot', // are you a bot, is this really the police
  'reporting', // how do I report it to the police
  'platformHelp', // how to report and block on an app
  'blocking', // should I block them, how do I stop contact
  'evidence', // what evidence, how to save it
  'deleting', // should I delete or deactivate my account
  'alreadyBlocked', // I already blocked them: is that bad?
  'alreadyDeleted', // I already deleted the chat: have I ruined it?
  'takedown', // get the images removed; Report Remove, Take It Down, StopNCII
  'whatToSay', // what do I say to them now
  'deadline', // they gave me a deadline
  'willTheyShare', // will they really post it
  'sextortion', // what is sextortion, why me, does it happen to others
  'whoToCall', // who can I talk to, which numbers
  'otherCrime', // a different crime
  'clearChat', // hide or delete this chat on my phone
] as const;
export type Question = (typeof QUESTIONS)[number];

/** The questions offered on the menu's first page, in menu order. */
export const MENU_QUESTIONS: readonly Question[] = ['shouldPay', 'evidence', 'blocking', 'takedown', 'reporting', 'trouble'];

/** The questions on the menu's "more questions" page. */
export const MORE_QUESTIONS: readonly Question[] = [
  'parentsFindOut', 'privacy', 'isBot', 'platformHelp', 'alreadyBlocked', 'alreadyDeleted', 'deleting', 'whoToCall',
];

/** Commands that work from any step, typed or as a button. */
export const COMMANDS = ['menu', 'help', 'human', 'language', 'deleteData', 'cancel', 'clearChat'] as const;
export type Command = (typeof COMMANDS)[number];

/** Social turns, each answered in kind before the person is brought back. */
export const SOCIAL_KINDS = ['thanks', 'ok', 'bye', 'greeting', 'areYouThere', 'abuse', 'emoji', 'better', 'upset', 'reassured'] as const;
export type SocialKind = (typeof SOCIAL_KINDS)[number];

/** A plain answer to the question the bot asked. */
export const ANSWERS = ['yes', 'no', 'unsure'] as const;
export type Answer = (typeof ANSWERS)[number];
