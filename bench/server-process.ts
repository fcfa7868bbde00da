import Fastify from 'fastify';

/**
 * The benchmark's baseline, run in its own process like the bot: a bare
 * Fastify server answering the same JSON POST with 200, on the same framework
 * and body limit as the bot, to show what the framework alone costs on this
 * machine. Listens on `PORT`; stops on SIGTERM.
 */
async function main(): Promise<void> {
  const bare = Fastify({ logger: false, bodyLimit: 256 * 1024 });
  bare.get('/healthz', async () => ({ status: 'ok' }));
  bare.post('/webhooks/telegram', async (_request, reply) => reply.code(200).send());
  await bare.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
  process.once('SIGTERM', () => void bare.close().then(() => process.exit(0)));
}

main().catch((error: unknown) => {
  process.stderr.write(`bench baseline failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
