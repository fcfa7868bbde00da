import rateLimit from '@fastify/rate-limit';
import { errorCodes, type FastifyInstance } from 'fastify';
import type { ChannelContext } from '../channel.js';
import type { XChannelHealth } from './channel-health.js';
import { parseXDelivery } from './inbound.js';
import { crcResponse, isValidXSignature } from './webhook-signature.js';

/** Where X posts deliveries and sends its challenge (CRC) requests. */
export const X_WEBHOOK_PATH = '/webhooks/twitter';

/** What the X webhook needs besides the shared channel context. */
export interface XWebhookOptions {
  /** The app's consumer secret: the key of both the CRC answer and the delivery signature. */
  readonly consumerSecret: string;
  /** The force's own X account id: its DMs are echoes of our replies and are skipped. */
  readonly userId: string;
  /** How many challenge requests one address may make per window. */
  readonly crcLimit?: CrcLimit;
  /** Replies go out as v2 DMs with numbered choices, so typed numbers and labels are presses. */
  readonly numberedChoices?: boolean;
  /** Where challenges, deliveries and unreadable messages are noted. */
  readonly health?: XChannelHealth;
}

/** A rate limit on challenge requests, per client address. */
export interface CrcLimit {
  readonly max: number;
  readonly windowMs: number;
}

/**
 * X checks about hourly and on registration; ten a minute from one address
 * leaves room for retries and a manual re-check, and nothing for harvesting.
 */
export const DEFAULT_CRC_LIMIT: CrcLimit = { max: 10, windowMs: 60_000 };

/** A JSON body kept with the exact bytes X signed. */
interface SignedBody {
  readonly raw: Buffer;
  readonly json: unknown;
}

/**
 * Registers `GET` (CRC) and `POST` (deliveries) on {@link X_WEBHOOK_PATH}.
 *
 * X signs the raw body bytes, and re-serialising parsed JSON does not give
 * them back, so the JSON parser here keeps the bytes. It lives in an
 * encapsulated plugin: the other channels keep Fastify's default parser, and
 * Fastify still answers 413 to an oversized body and 400 to malformed JSON
 * before the handler runs. Nothing is dispatched unless the signature matches.
 *
 * The challenge answer is the delivery signature of the token's bytes, so
 * only tokens of the shape X sends are answered (see `crc-token.ts`), and
 * challenges are rate-limited per client address.
 */
export function registerXWebhook(app: FastifyInstance, context: ChannelContext, options: XWebhookOptions): void {
  const { consumerSecret, userId, crcLimit = DEFAULT_CRC_LIMIT, numberedChoices = false, health } = options;
  const logger = context.logger.child({ channel: 'twitter' });

  void app.register(async (scope) => {
    await scope.register(rateLimit, {
      global: false,
      onExceeded: () => logger.warn({ event: 'x.crc', status: 429 }, 'too many X challenge requests from one address'),
    });
    scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => {
      const raw = body as Buffer;
      if (raw.length === 0) {
        done(new errorCodes.FST_ERR_CTP_EMPTY_JSON_BODY(), undefined);
        return;
      }
      try {
        const signed: SignedBody = { raw, json: JSON.parse(raw.toString('utf8')) };
        done(null, signed);
      } catch {
        done(new errorCodes.FST_ERR_CTP_INVALID_JSON_BODY(), undefined);
      }
    });

    scope.get<{ Querystring: { crc_token?: unknown } }>(
      X_WEBHOOK_PATH,
      { config: { rateLimit: { max: crcLimit.max, timeWindow: crcLimit.windowMs } } },
      async (request, reply) => {
        const answer = crcResponse(consumerSecret, request.query.crc_token);
        if (answer === undefined) {
          logger.warn({ event: 'x.crc', status: 400 }, 'CRC request without a token of the shape X sends');
          return reply.code(400).send({ error: 'crc_token must be 16-128 characters of URL-safe base64' });
        }
        health?.challengeAnswered();
        logger.info({ event: 'x.crc', status: 200 }, 'answered X challenge');
        return reply.code(200).send(answer);
      },
    );

    scope.post(X_WEBHOOK_PATH, async (request, reply) => {
      const body = request.body as SignedBody | undefined;
      const signature = request.headers['x-twitter-webhooks-signature'];
      const header = typeof signature === 'string' ? signature : undefined;
      if (body === undefined || !Buffer.isBuffer(body.raw) || !isValidXSignature(consumerSecret, body.raw, header)) {
        logger.warn({ event: 'x.delivery', status: 401, signature: header === undefined ? 'missing' : 'invalid' }, 'rejected unsigned X delivery');
        return reply.code(401).send({ error: 'invalid signature' });
      }

      const delivery = parseXDelivery(body.json, userId, { numberedChoices });
      health?.eventArrived();
      if (delivery.kind === 'encrypted-chat') {
        // Nothing to read or answer, but never dropped without a trace: counted, and logged without content.
        health?.unreadableMessage();
        logger.warn({ event: 'x.encrypted_chat' }, 'an encrypted X Chat message arrived, which the bot cannot read');
        return reply.code(200).send();
      }
      logger.debug(
        { event: 'x.delivery', kind: delivery.kind, messages: delivery.events.length, echoes: delivery.echoes, skipped: delivery.skipped },
        'X delivery received',
      );
      try {
        for (const event of delivery.events) {
          await context.dispatch(event);
        }
      } catch (error) {
        logger.error({ event: 'x.dispatch', status: 503, err: errorName(error) }, 'could not accept X direct message');
        return reply.code(503).send({ error: 'try again later' });
      }
      return reply.code(200).send();
    });
  });
}

/** Only the error's class name: its message or cause could carry message text. */
function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
