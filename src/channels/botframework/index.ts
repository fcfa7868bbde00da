import { MessageFactory, TurnContext, type Activity, type ConversationReference, type InvokeResponse } from 'botbuilder';
import type { FastifyInstance } from 'fastify';
import { ConfigError, conversationKeyToString, isLoopbackUrl, type Logger } from '../../core/index.js';
import type { ChannelAdapter, ChannelContext } from '../channel.js';
import type { RetryOptions } from '../send-with-retry.js';
import { ThrottleAwareAuthentication } from './errors.js';
import { acquireConsoleCapture, type ConsoleSink } from './console-capture.js';
import { conversationKeyOf, translateActivity } from './inbound.js';
import { createMemoryReferenceStore, type BotFrameworkConversationRecord, type ConversationReferenceStore } from './reference-store.js';
import { authenticationFailure, RequestAdapter } from './request-adapter.js';
import { createBotFrameworkClearer } from './clearer.js';
import { createBotFrameworkSender } from './sender.js';

export { createMemoryReferenceStore } from './reference-store.js';
export type { BotFrameworkConversationRecord, ConversationReferenceStore, OfferedChoice } from './reference-store.js';
export { conversationKeyOf } from './inbound.js';

/** The webhook path the Azure Bot resource's messaging endpoint points at. */
export const BOT_FRAMEWORK_PATH = '/api/messages';

/** How to reach Bot Framework, and where conversation references are kept. */
export interface BotFrameworkChannelOptions {
  /** Microsoft App Id. Without it, inbound requests are NOT authenticated. */
  readonly appId?: string;
  /** Client secret for the app id (not needed for `UserAssignedMSI`). */
  readonly appPassword?: string;
  /** `SingleTenant` (the default: new Azure bots can no longer be multi-tenant), `MultiTenant` or `UserAssignedMSI`. */
  readonly appType?: string;
  /** The Entra tenant, for `SingleTenant` and `UserAssignedMSI`. */
  readonly tenantId?: string;
  /** Must be true to run without an app id (Emulator, local tests): nobody is authenticated then. */
  readonly allowUnauthenticated?: boolean;
  /** Conversation references; in-memory by default, Redis in production. */
  readonly references?: ConversationReferenceStore;
  /** Bounds for retrying throttled sends. */
  readonly retry?: RetryOptions;
  /**
   * More of botbuilder's own authentication settings (ConfigurationBotFrameworkAuthentication
   * keys such as `ToBotFromChannelOpenIdMetadataUrl` and `ToBotFromChannelTokenIssuer`),
   * for a cloud other than Microsoft's public one. Setting any endpoint means
   * setting them all (botbuilder's rule). Tests point the token-signing keys at a local fake.
   */
  readonly authenticationSettings?: Readonly<Record<string, string>>;
}

/**
 * The Bot Framework channel (Messenger, Teams, Web Chat) on botbuilder's
 * CloudAdapter. Inbound requests are authenticated by botbuilder's own JWT
 * validation when an app id is configured; without one the factory refuses
 * unless `allowUnauthenticated` says that is intended, because an open
 * endpoint lets anyone inject messages into people's conversations. In that
 * unauthenticated mode (the Emulator, tests) only activities whose
 * `serviceUrl` is on this machine are accepted: the bot posts its replies to
 * that URL, so any other would let a caller point the bot at any address.
 */
export function createBotFrameworkChannel({
  appId,
  appPassword,
  appType = 'SingleTenant',
  tenantId,
  allowUnauthenticated = false,
  references = createMemoryReferenceStore(),
  retry,
  authenticationSettings = {},
}: BotFrameworkChannelOptions = {}): ChannelAdapter {
  if (!appId && !allowUnauthenticated) {
    throw new ConfigError('Bot Framework needs an app id; running without authentication must be allowed explicitly');
  }
  if (appId && !appPassword && appType !== 'UserAssignedMSI') {
    throw new ConfigError('Bot Framework app id is set without an app password');
  }
  if (appId && appType === 'SingleTenant' && !tenantId) {
    throw new ConfigError('a SingleTenant Bot Framework app needs its tenant id');
  }
  const authentication = new ThrottleAwareAuthentication(
    appId
      ? {
          MicrosoftAppId: appId,
          MicrosoftAppPassword: appPassword,
          MicrosoftAppType: appType,
          MicrosoftAppTenantId: tenantId,
          ...authenticationSettings,
        }
      : {},
  );
  const adapter = new RequestAdapter(authentication);
  const unauthenticated = !appId;
  const sender = createBotFrameworkSender({ adapter, appId: appId ?? '', references, ...(retry ? { retry } : {}) });
  return {
    id: 'botframework',
    sender,
    clearer: createBotFrameworkClearer({ adapter, appId: appId ?? '', references, ...(retry ? { retry } : {}) }),
    routes(app: FastifyInstance, context: ChannelContext) {
      const logger = context.logger.child({ channel: 'botframework' });
      const handle = createActivityHandler(references, context, logger);
      const sdkConsole = acquireConsoleCapture();
      app.addHook('onClose', async () => sdkConsole.release());
      const toLogger: ConsoleSink = (level, args) =>
        logger.debug({ event: 'botbuilder.console', method: `console.${level}`, errors: args.map(describeConsoleArgument) }, 'botbuilder reported a problem');

      app.post(BOT_FRAMEWORK_PATH, async (request, reply) => {
        const body: unknown = request.body;
        if (!isRecord(body) || typeof body.type !== 'string' || body.type === '') {
          logger.warn({ status: 400 }, 'activity without a type');
          return reply.code(400).send();
        }
        if (unauthenticated && (typeof body.serviceUrl !== 'string' || !isLoopbackUrl(body.serviceUrl))) {
          logger.warn({ status: 403 }, 'unauthenticated activity with a serviceUrl that is not on this machine refused');
          return reply.code(403).send();
        }
        const authorization = typeof request.headers.authorization === 'string' ? request.headers.authorization : '';
        let dispatchFailed = false;
        let invokeResponse: InvokeResponse | undefined;
        try {
          invokeResponse = await sdkConsole.run(toLogger, () =>
            adapter.processRequest(authorization, body, async (turn) => {
              try {
                await handle(turn);
              } catch (error) {
                dispatchFailed = true;
                logger.error({ error: errorName(error), activityType: knownType(turn.activity.type) }, 'activity not handled');
              }
            }),
          );
        } catch (error) {
          const refused = authenticationFailure(error);
          if (refused !== undefined) {
            logger.warn({ status: refused.status, error: refused.name }, 'unauthenticated request refused');
            return reply.code(refused.status).send();
          }
          logger.error({ error: errorName(error) }, 'botbuilder could not process the request');
          return reply.code(500).send();
        }
        if (dispatchFailed) return reply.code(503).send();
        // An invoke's own error body is botbuilder's text, which is nobody's business.
        const status = invokeResponse?.status ?? 200;
        return status < 400 && invokeResponse?.body !== undefined ? reply.code(status).send(invokeResponse.body) : reply.code(status).send();
      });
    },
  };
}

/**
 * Handles one authenticated activity: keeps its conversation reference (on
 * every activity, so the service URL stays current), then dispatches what it
 * means. A failure rejects, so the route answers 503 and the channel redelivers.
 */
function createActivityHandler(references: ConversationReferenceStore, context: ChannelContext, logger: Logger) {
  return async (turn: TurnContext): Promise<void> => {
    const activity = turn.activity;
    logger.debug({ activityType: knownType(activity.type) }, 'activity received');
    if (activity.type === 'invoke') {
      await turn.sendActivity({ type: 'invokeResponse', value: { status: 200 } });
      return;
    }
    if (!activity.conversation?.id || !activity.serviceUrl || !activity.channelId) return;
    const storeKey = conversationKeyToString(conversationKeyOf(activity));
    const existing = await references.read(storeKey);
    await references.write(storeKey, { ...existing, reference: minimalReference(activity) });
    const decision = translateActivity(activity, existing ?? {});
    if (decision.kind === 'group') {
      if (!existing?.groupNoticeSent) await sendGroupNotice(turn, storeKey, references, context, logger);
      return;
    }
    if (decision.kind === 'ignore') return;
    for (const event of decision.events) {
      await context.dispatch(event);
      if (event.payload.type === 'start') await update(references, storeKey, { started: true });
    }
  };
}

/** The conversation reference without the person's display name, which sending does not need. */
function minimalReference(activity: Activity): Partial<ConversationReference> {
  const reference = TurnContext.getConversationReference(activity);
  const user = reference.user ? { id: reference.user.id, name: '', ...(reference.user.role ? { role: reference.user.role } : {}) } : undefined;
  const { name: _conversationName, ...conversation } = reference.conversation ?? { id: activity.conversation.id };
  return JSON.parse(JSON.stringify({ ...reference, user, conversation })) as Partial<ConversationReference>;
}

/** Group conversations get one "please message us privately" notice and are never dispatched. */
async function sendGroupNotice(
  turn: TurnContext,
  storeKey: string,
  references: ConversationReferenceStore,
  context: ChannelContext,
  logger: Logger,
): Promise<void> {
  try {
    await turn.sendActivity(MessageFactory.text(context.notice('channel.groupChat', turn.activity.locale)));
    await update(references, storeKey, { groupNoticeSent: true });
  } catch (error) {
    logger.warn({ error: errorName(error) }, 'group notice not sent');
  }
}

/** Re-reads before writing: the sender may have stored offered choices meanwhile. */
async function update(
  references: ConversationReferenceStore,
  storeKey: string,
  patch: Partial<BotFrameworkConversationRecord>,
): Promise<void> {
  const current = await references.read(storeKey);
  if (current) await references.write(storeKey, { ...current, ...patch });
}

const KNOWN_TYPES: ReadonlySet<string> = new Set([
  'message', 'conversationUpdate', 'contactRelationUpdate', 'typing', 'endOfConversation', 'event', 'invoke',
  'installationUpdate', 'messageReaction', 'messageUpdate', 'messageDelete', 'deleteUserData',
]);

/** The activity type for a log line, or 'other': the field is sender-controlled text. */
function knownType(type: string | undefined): string {
  return type !== undefined && KNOWN_TYPES.has(type) ? type : 'other';
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

/**
 * What may be logged of one argument botbuilder passed to the console: an
 * error's class name, or only the kind of anything else. Its messages and
 * strings can hold token fragments, signing keys and activity content.
 */
function describeConsoleArgument(argument: unknown): string {
  return argument instanceof Error ? argument.name : typeof argument;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
