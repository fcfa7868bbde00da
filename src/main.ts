import closeWithGrace from 'close-with-grace';
import { type App, createApp } from './app/create-app.js';
import { type AppConfig, readConfig } from './config/environment.js';
import { errorSummary } from './logging/error-summary.js';
import { createLogger, type RootLogger } from './logging/create-logger.js';

/**
 * `npm start`: reads the environment, builds the bot and every configured
 * channel, and serves them from one HTTP server until a signal stops it.
 *
 * The shutdown handlers (close-with-grace) are installed before anything is
 * built, so a signal or a crash at any point closes what was started. A first
 * SIGTERM or SIGINT closes gracefully; a second one, or a close that takes
 * longer than `SHUTDOWN_TIMEOUT_SECONDS`, exits at once with code 1. A start
 * that fails (a channel that cannot start, an unreadable profile) is one fatal
 * JSON line, then the same close, then exit code 1.
 */
function main(): void {
  let config: AppConfig;
  try {
    config = readConfig();
  } catch (error) {
    // Nothing has started yet: one fatal line at the default level, and a non-zero exit.
    createLogger().fatal({ event: 'start.failed', err: errorSummary(error) }, 'support bot failed to start');
    process.exitCode = 1;
    return;
  }
  const logger = createLogger(config.logLevel);
  /** What has been built so far, so a shutdown at any moment closes it. */
  const built: { app?: App } = {};
  let starting: Promise<void> = Promise.resolve();
  let startFailure: unknown;

  const shutdown = closeWithGrace(
    {
      delay: config.shutdownTimeoutMs,
      logger: false,
      onSecondSignal: (signal) => logger.fatal({ event: 'shutdown.forced', signal }, 'second signal during shutdown: exiting at once'),
      onTimeout: (ms) => logger.fatal({ event: 'shutdown.forced', timeoutMs: ms }, 'shutdown did not finish in time: exiting at once'),
      onSecondError: (error) => logger.fatal({ event: 'shutdown.forced', err: errorSummary(error) }, 'another error during shutdown: exiting at once'),
    },
    async ({ signal, err }) => {
      if (signal !== undefined) logger.info({ event: 'shutdown', signal }, 'shutting down');
      if (err !== undefined) logger.fatal({ event: 'crash', err: errorSummary(err) }, 'unexpected error: shutting down');
      await starting;
      await built.app?.close();
      logger.info({ event: 'stopped' }, 'stopped');
      // close-with-grace exits with code 1 when this rejects.
      if (startFailure !== undefined) throw startFailure;
    },
  );

  starting = start(config, logger, built).catch((error: unknown) => {
    startFailure = error;
    logger.fatal({ event: 'start.failed', err: errorSummary(error) }, 'support bot failed to start');
    void shutdown.close();
  });
}

/** Builds the app into `built` (so that a failure part-way still closes it) and starts it listening. */
async function start(config: AppConfig, logger: RootLogger, built: { app?: App }): Promise<void> {
  const app = await createApp(config, { logger });
  built.app = app;
  const address = await app.listen();
  logger.info(
    { event: 'listening', address, force: app.core.profile.id, channels: app.channels.map((c) => c.id), locales: app.core.catalogue.locales, storage: app.storage },
    'support bot listening',
  );
  if (app.channels.length === 0) {
    logger.info(
      { event: 'no-channels' },
      'no channels are on: set TELEGRAM_BOT_TOKEN (+ TELEGRAM_WEBHOOK_SECRET, or TELEGRAM_MODE=polling), MicrosoftAppId ' +
        '(or BOTFRAMEWORK_ALLOW_UNAUTHENTICATED=true for the Bot Framework Emulator), or the five TWITTER_* settings: see docs/platforms.md. ' +
        'Meanwhile, talk to the bot in a terminal with `npm run chat`.',
    );
  }
}

main();
