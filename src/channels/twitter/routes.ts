import { errorCodes, type FastifyInstance } from 'fastify';
import type { ChannelContext } from '../channel.js';
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
}

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
 */
export function registerXWebhook(app: FastifyInstance, context: ChannelContext, options: XWebhookOptions): void {
  const { consumerSecret, userId } = options;
  const logger = context.logger.child({ channel: 'twitter' });

  void app.register(async (scope) => {
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

    scope.get<{ Querystring: { crc_token?: string } }>(X_WEBHOOK_PATH, async (request, reply) => {
      const token = request.query.crc_token;
      if (typeof token !== 'string' || token.length === 0) {
        logger.warn({ event: 'x.crc', status: 400 }, 'CRC request without a token');
        return reply.code(400).send({ error: 'crc_token is required' });
      }
      logger.info({ event: 'x.crc', status: 200 }, 'answered X challenge');
      return reply.code(200).send(crcResponse(consumerSecret, token));
    });

    scope.post(X_WEBHOOK_PATH, async (request, reply) => {
      const body = request.body as SignedBody | undefined;
      const signature = request.headers['x-twitter-webhooks-signature'];
      const header = typeof signature === 'string' ? signature : undefined;
      if (body === undefined || !Buffer.isBuffer(body.raw) || !isValidXSignature(consumerSecret, body.raw, header)) {
        logger.warn({ event: 'x.delivery', status: 401, signature: header === undefined ? 'missing' : 'invalid' }, 'rejected unsigned X delivery');
        return reply.code(401).send({ error: 'invalid signature' });
      }

      const delivery = parseXDelivery(body.json, userId);
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
