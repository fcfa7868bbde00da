/**
 * `npm run demo`: the bot and its call-handler console on this machine, with
 * a demo handler account and a simulated person who asks for a human, so
 * someone who has just cloned the project sees a conversation arrive in the
 * console within a minute:
 *
 *   npm install && npm run demo      # then open the console address it prints and sign in
 *
 * Everything is local and temporary: the server listens on 127.0.0.1 only
 * (PORT, default 3978), state is in memory, and the handler account (a
 * supervisor, so the audit log can be tried too) is made for this run with a
 * password generated for it, in a temporary file removed on exit. It never
 * reads `.env`, Redis or any platform's settings, and it refuses to run with
 * NODE_ENV=production: there is no default account in production. The person
 * writes on a simulated Web Chat (Bot Framework's local, unauthenticated mode,
 * the Emulator's), once a handler has signed in (before that, the bot would
 * tell them that nobody is there). Lines typed in this terminal are sent as
 * the person, and what they receive is printed here.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import closeWithGrace from 'close-with-grace';
import { type App, createApp } from '../src/app/create-app.js';
import { readConfig } from '../src/config/environment.js';
import { FileHandlerAccounts } from '../src/console/auth/handler-accounts.js';
import { createLogger } from '../src/logging/create-logger.js';
import { SimulatedPerson } from './demo-person.js';

/** The demo's call-handler account. */
export const DEMO_HANDLER = 'demo.handler';

/** What the simulated person writes: a first message, then a request for a person. */
const PERSON_SAYS = ['hi, someone i met online is threatening to share my photos unless i pay', 'can i talk to a real person'];

const out = (line = '') => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  if (process.env.NODE_ENV === 'production') {
    process.stderr.write('npm run demo makes a demo account and an unauthenticated local channel: it does not run with NODE_ENV=production.\n');
    process.exitCode = 1;
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'support-bot-demo-'));
  const built: { app?: App; person?: SimulatedPerson; failure?: unknown } = {};
  const shutdown = closeWithGrace({ delay: 10_000, logger: false }, async () => {
    await built.person?.stop();
    await built.app?.close();
    rmSync(dir, { recursive: true, force: true });
    out('Demo stopped; its account and conversations are gone.');
    // close-with-grace exits with code 1 when this rejects.
    if (built.failure !== undefined) throw built.failure;
  });
  try {
    await run(dir, built);
  } catch (error) {
    process.stderr.write(`the demo could not start: ${error instanceof Error ? error.message : String(error)}\n`);
    built.failure = error;
    void shutdown.close();
  }
}

/** Makes the account, starts the bot and the simulated person, and plays the person's part once a handler signs in. */
async function run(dir: string, built: { app?: App; person?: SimulatedPerson }): Promise<void> {
  const password = randomBytes(18).toString('base64url');

  const handlersFile = join(dir, 'handlers.json');
  await new FileHandlerAccounts({ path: handlersFile }).add(DEMO_HANDLER, password, { supervisor: true });
  const config = readConfig({
    PORT: process.env.PORT ?? '3978',
    HOST: '127.0.0.1',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'error',
    HANDLERS_FILE: handlersFile,
    HANDOFF_HOURS: 'always',
    BOTFRAMEWORK_ALLOW_UNAUTHENTICATED: 'true',
    CONSOLE_INSECURE_COOKIE: 'true',
  });
  const app = await createApp(config, { logger: createLogger(config.logLevel) });
  built.app = app;
  const base = await app.listen();
  const person = new SimulatedPerson({
    bot: base,
    onMessage: ({ text, buttons }) => {
      out(`  to the person: ${text.replace(/\n+/g, '\n                 ')}`);
      if (buttons.length > 0) out(`                 [${buttons.join('] [')}]`);
    },
  });
  built.person = person;
  await person.start();

  out('Demo: the support bot and its call-handler console, on this machine only.');
  out();
  out(`  Console:   ${base}/console`);
  out(`  Username:  ${DEMO_HANDLER}`);
  out(`  Password:  ${password}`);
  out();
  out('Open the console and sign in. A simulated person then writes to the bot on Web Chat and asks for a human:');
  out('their conversation arrives in the console queue. Claim it and reply; what they receive is shown here,');
  out('and lines you type here are sent as the person. The account lasts until you stop the demo (Ctrl+C).');
  out();

  while ((await app.handoff.sessions.activeHandlers(Date.now())) === 0) await sleep(500);
  out(`${DEMO_HANDLER} signed in: the person writes.`);
  for (const text of PERSON_SAYS) {
    out(`  the person: ${text}`);
    await person.say(text);
  }
  const ticket = await app.handoff.queue.byConversation(person.conversationKey);
  out(ticket ? `Their conversation is waiting in the console: ${base}/console` : 'The person was not queued: see the replies above.');

  createInterface({ input: process.stdin }).on('line', (line) => {
    if (line.trim() === '') return;
    person.say(line).catch((error: unknown) => out(`  (not sent: ${error instanceof Error ? error.message : String(error)})`));
  });
}

await main();
