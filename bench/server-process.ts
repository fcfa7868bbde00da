import Fastify from 'fastify';
import { createApp } from '../src/app/create-app.js';
import { readConfig } from '../src/config/environment.js';
import { createLogger } from '../src/logging/create-logger.js';

/**
 * The server side of the benchmark, run as its own process so the load
 * generator's CPU and memory are not counted against the bot. `BENCH_BARE=1`
 * runs the baseline instead: a bare Fastify server answering the same JSON
 * POST with 200, to show what the framework alone costs on this machine.
 * Prints `listening <address>` on stdout once ready; stops on SIGTERM.
 */
async function main(): Promise<void> {
  if (process.env.BENCH_BARE === '1') {
    const bare = Fastify({ logger: false, bodyLimit: 256 * 1024 });
    bare.post('/webhooks/telegram', async (_request, reply) => reply.code(200).send());
    const address = await bare.listen({ port: 0, host: '127.0.0.1' });
    process.stdout.write(`listening ${address}\n`);
    process.once('SIGTERM', () => void bare.close().then(() => process.exit(0)));
    return;
  }
  const config = readConfig(process.env);
  const logger = createLogger(config.logLevel);
  const app = await createApp(config, { logger });
  const address = await app.listen();
  process.stdout.write(`listening ${address}\n`);
  process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

main().catch((error: unknown) => {
  process.stderr.write(`bench server failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
