import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '../../core/index.js';
import { isUpdate, updateKind } from './inbound.js';

/** Where Telegram posts updates; `scripts/telegram-set-webhook.ts` registers the same path. */
export const TELEGRAM_WEBHOOK_PATH = '/webhooks/telegram';

/** The header Telegram fills with the `secret_token` given to `setWebhook`. */
export const SECRET_TOKEN_HEADER = 'x-telegram-bot-api-secret-token';

/** What the webhook route needs from the adapter. */
export interface WebhookRouteOptions {
  readonly webhookSecret: string;
  readonly handle: (update: Record<string, unknown> & { update_id: number }) => Promise<void>;
  readonly logger: Logger;
}

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * A check of the secret-token header against the configured secret, in
 * constant time. Both sides are hashed first so that the comparison is over
 * equal-length buffers and the secret's length does not leak either; the
 * secret's own digest is taken once, not per request.
 */
export function secretChecker(expected: string): (given: string | string[] | undefined) => boolean {
  const expectedDigest = digest(expected);
  return (given) => typeof given === 'string' && given.length > 0 && timingSafeEqual(digest(given), expectedDigest);
}

/**
 * Registers `POST /webhooks/telegram`. The secret is checked before the body
 * is even parsed, so an unauthenticated caller gets 403 and costs nothing; an
 * update the engine did not accept gets 503, so Telegram delivers it again.
 */
export function registerWebhookRoute(app: FastifyInstance, { webhookSecret, handle, logger }: WebhookRouteOptions): void {
  const secretMatches = secretChecker(webhookSecret);
  const verifySecret = async (request: FastifyRequest, reply: FastifyReply) => {
    if (!secretMatches(request.headers[SECRET_TOKEN_HEADER])) {
      logger.warn({ event: 'telegram.webhook.rejected', reason: 'secret_token' }, 'Telegram webhook refused: wrong or missing secret token');
      return reply.code(403).send();
    }
  };

  app.post(TELEGRAM_WEBHOOK_PATH, { onRequest: verifySecret }, async (request, reply) => {
    const update = request.body;
    if (!isUpdate(update)) {
      logger.warn({ event: 'telegram.webhook.rejected', reason: 'not_an_update' }, 'Telegram webhook refused: not an update');
      return reply.code(400).send();
    }
    try {
      await handle(update);
    } catch (error) {
      logger.error({ event: 'telegram.webhook.failed', updateKind: updateKind(update), error: (error as Error | undefined)?.name }, 'Telegram update not accepted; Telegram will deliver it again');
      return reply.code(503).send();
    }
    return reply.code(200).send();
  });
}
