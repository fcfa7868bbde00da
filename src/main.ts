import { createApp } from './app/create-app.js';
import { readConfig } from './config/environment.js';
import { createLogger } from './logging/create-logger.js';

/**
 * `npm start`: reads the environment, builds the bot and every configured
 * channel, and serves them from one HTTP server until SIGTERM or SIGINT.
 */
async function main(): Promise<void> {
  const config = readConfig();
  const logger = createLogger(config.logLevel);
  const app = await createApp(config, { logger });
  const address = await app.listen();
  logger.info(
    { address, force: app.core.profile.id, channels: app.channels.map((c) => c.id), locales: app.core.catalogue.locales, storage: app.storage },
    'support bot listening',
  );
  if (app.channels.length === 0) {
    logger.info(
      {},
      'no channels are on: set TELEGRAM_BOT_TOKEN (+ TELEGRAM_WEBHOOK_SECRET, or TELEGRAM_MODE=polling), MicrosoftAppId ' +
        '(or BOTFRAMEWORK_ALLOW_UNAUTHENTICATED=true for the Bot Framework Emulator), or the five TWITTER_* settings: see README. ' +
        'Meanwhile, talk to the bot in a terminal with `npm run chat`.',
    );
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await app.close();
    logger.info({}, 'stopped');
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`support bot failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
