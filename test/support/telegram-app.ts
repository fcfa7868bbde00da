import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type App, createApp } from '../../src/app/create-app.js';
import { readConfig } from '../../src/config/environment.js';
import { FileHandlerAccounts } from '../../src/console/auth/handler-accounts.js';
import { type Logger, silentLogger } from '../../src/core/logger.js';
import { FakeTelegramApi } from './fake-telegram-api.js';
import { type TelegramPerson, telegramPerson } from './telegram-person.js';

/** The password every handler made by {@link startTelegramApp} has. */
export const HANDLER_PASSWORD = 'correct horse battery staple';
/** Cheap argon2id settings: these tests check the console, not the hash cost. */
export const TEST_HASHING = { memoryCost: 8192, timeCost: 1, parallelism: 1 };
const SECRET = 'telegram-app-secret';

/** The whole app on 127.0.0.1 with Telegram pointed at a fake, call handlers always on duty. */
export interface TelegramApp {
  readonly app: App;
  readonly base: string;
  readonly telegram: FakeTelegramApi;
  /** The handlers' accounts file, which the app reads. */
  readonly accounts: FileHandlerAccounts;
  /** A person writing on Telegram from chat `chat`. */
  person(chat: number, options?: { timeoutMs?: number }): TelegramPerson;
  close(): Promise<void>;
}

/**
 * Starts the app as `npm start` does (config from variables, memory state)
 * with the given handlers (all with {@link HANDLER_PASSWORD}) in a fresh
 * accounts file, Telegram on a {@link FakeTelegramApi}, and `env` on top
 * (with `REDIS_URL` in it, state and accounts are in that Redis instead).
 */
export async function startTelegramApp({
  handlers,
  env = {},
  logger = silentLogger,
}: {
  handlers: readonly string[];
  env?: Record<string, string>;
  /** Where the app logs (nowhere by default). */
  logger?: Logger;
}): Promise<TelegramApp> {
  const dir = mkdtempSync(join(tmpdir(), 'telegram-app-'));
  const handlersFile = join(dir, 'handlers.json');
  const accounts = new FileHandlerAccounts({ path: handlersFile, hashing: TEST_HASHING });
  for (const name of handlers) await accounts.add(name, HANDLER_PASSWORD);
  const telegram = await new FakeTelegramApi().start();
  const config = readConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    TELEGRAM_BOT_TOKEN: telegram.token,
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    TELEGRAM_API_ROOT: telegram.url,
    HANDOFF_HOURS: 'always',
    HANDLERS_FILE: handlersFile,
    ...env,
  });
  const app = await createApp(config, { logger });
  const base = await app.listen();
  return {
    app,
    base,
    telegram,
    accounts,
    person: (chat, { timeoutMs } = {}) => telegramPerson({ base, secret: SECRET, telegram, chat, ...(timeoutMs !== undefined && { timeoutMs }) }),
    async close() {
      await app.close();
      await telegram.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
