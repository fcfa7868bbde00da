import { z } from 'zod';
import type { TwitterApi } from 'twitter-api-v2';
import type { XUserSession } from './user-token.js';
import { createXAppClient, type XCredentials } from './client.js';

/** A webhook registered with X (`/2/webhooks`). `valid` is whether it passed X's last challenge. */
export interface XWebhook {
  readonly id: string;
  readonly url: string;
  readonly valid: boolean;
  readonly createdAt?: string;
}

/** An X Activity API subscription: which events, for which user, delivered to which webhook. */
export interface XSubscription {
  readonly id: string;
  readonly eventType: string;
  readonly userId?: string;
  readonly webhookId?: string;
  readonly tag?: string;
}

/** The events the bot subscribes to for the force account: DMs to it, and encrypted chats (to count them). */
export const X_DM_EVENT_TYPES = ['dm.received', 'chat.received'] as const;

const webhookSchema = z.object({ id: z.string(), url: z.string(), valid: z.boolean().optional(), created_at: z.string().optional() });
const subscriptionSchema = z.object({
  subscription_id: z.string(),
  event_type: z.string(),
  filter: z.object({ user_id: z.string().optional() }).optional(),
  webhook_id: z.string().optional(),
  tag: z.string().optional(),
});
const webhookList = z.object({ data: z.array(webhookSchema).optional() });
const subscriptionList = z.object({ data: z.array(subscriptionSchema).optional() });

/** X answered an administrative call with something the bot could not read. */
export class XAdminResponseError extends Error {
  override readonly name = 'XAdminResponseError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

const toWebhook = (w: z.infer<typeof webhookSchema>): XWebhook => ({ id: w.id, url: w.url, valid: w.valid ?? false, ...(w.created_at && { createdAt: w.created_at }) });
const toSubscription = (s: z.infer<typeof subscriptionSchema>): XSubscription => ({
  id: s.subscription_id,
  eventType: s.event_type,
  ...(s.filter?.user_id !== undefined && { userId: s.filter.user_id }),
  ...(s.webhook_id !== undefined && { webhookId: s.webhook_id }),
  ...(s.tag !== undefined && { tag: s.tag }),
});

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new XAdminResponseError(`X answered ${what} in an unexpected shape`, { cause: parsed.error });
  return parsed.data;
}

/**
 * The X Activity API's administration: webhooks (with the app-only bearer
 * token, as X requires) and subscriptions (with the force account's OAuth 2.0
 * user token: DM events are private). Used by `npm run x:setup` and by the
 * channel's health check. twitter-api-v2 has no helpers for either, so its
 * generic v2 calls are used, through the same clients as every other call.
 */
export class XActivityAdmin {
  readonly #credentials: Pick<XCredentials, 'consumerKey' | 'consumerSecret'>;
  readonly #apiRoot: string;
  readonly #session: XUserSession | undefined;
  #app: Promise<TwitterApi> | undefined;

  constructor(options: { credentials: Pick<XCredentials, 'consumerKey' | 'consumerSecret'>; apiRoot: string; session?: XUserSession }) {
    this.#credentials = options.credentials;
    this.#apiRoot = options.apiRoot;
    this.#session = options.session;
  }

  /** Whether subscriptions can be read: they need the user session. */
  get canReadSubscriptions(): boolean {
    return this.#session !== undefined;
  }

  async listWebhooks(): Promise<XWebhook[]> {
    const body = await this.#withApp((app) => app.v2.get('webhooks'));
    return (parse(webhookList, body, 'the webhook list').data ?? []).map(toWebhook);
  }

  /** Registers `url`; X challenges it at once, so the bot must already be running there. */
  async registerWebhook(url: string): Promise<XWebhook> {
    const body = await this.#withApp((app) => app.v2.post('webhooks', { url }));
    return toWebhook(parse(z.object({ data: webhookSchema }), body, 'the webhook registration').data);
  }

  /** Asks X to challenge the webhook again (after an outage, say); resolves to whether it passed. */
  async revalidateWebhook(id: string): Promise<boolean> {
    const body = await this.#withApp((app) => app.v2.put(`webhooks/${encodeURIComponent(id)}`));
    return parse(z.object({ data: z.object({ valid: z.boolean() }) }), body, 'the webhook check').data.valid;
  }

  async deleteWebhook(id: string): Promise<void> {
    await this.#withApp((app) => app.v2.delete(`webhooks/${encodeURIComponent(id)}`));
  }

  async listSubscriptions(): Promise<XSubscription[]> {
    const body = await this.#user((client) => client.v2.get('activity/subscriptions'));
    return (parse(subscriptionList, body, 'the subscription list').data ?? []).map(toSubscription);
  }

  /** Subscribes the webhook to one event type for one user (the force account). */
  async subscribe({ eventType, userId, webhookId, tag }: { eventType: string; userId: string; webhookId: string; tag?: string }): Promise<XSubscription> {
    const body = await this.#user((client) =>
      client.v2.post('activity/subscriptions', { event_type: eventType, filter: { user_id: userId }, webhook_id: webhookId, ...(tag && { tag }) }),
    );
    const parsed = parse(z.object({ data: z.object({ subscription: subscriptionSchema }) }), body, 'the new subscription');
    return toSubscription(parsed.data.subscription);
  }

  async deleteSubscription(id: string): Promise<void> {
    await this.#user((client) => client.v2.delete(`activity/subscriptions/${encodeURIComponent(id)}`));
  }

  #user<T>(call: (client: TwitterApi) => Promise<T>): Promise<T> {
    if (this.#session === undefined) throw new XAdminResponseError('Activity API subscriptions need the OAuth 2.0 user token (TWITTER_OAUTH2_*)');
    return this.#session.call(call);
  }

  async #withApp<T>(call: (client: TwitterApi) => Promise<T>): Promise<T> {
    this.#app ??= createXAppClient(this.#credentials, this.#apiRoot).appLogin();
    try {
      return await call(await this.#app);
    } catch (error) {
      // A refused or expired app token is fetched again next time.
      this.#app = undefined;
      throw error;
    }
  }
}

/** What the health check found: whether X delivers the force account's DMs to a webhook that passed its challenge. */
export interface DeliveryCheck {
  /** Some registered webhook passed X's last challenge. */
  readonly webhookValid: boolean;
  /** A `dm.received` subscription for the force account points at a registered webhook. */
  readonly subscribed: boolean;
}

/** Reads the webhooks and subscriptions and says whether DMs to `userId` will be delivered. */
export async function checkDelivery(admin: XActivityAdmin, userId: string): Promise<DeliveryCheck> {
  const webhooks = await admin.listWebhooks();
  const subscriptions = await admin.listSubscriptions();
  const valid = new Set(webhooks.filter((w) => w.valid).map((w) => w.id));
  const known = new Set(webhooks.map((w) => w.id));
  return {
    webhookValid: valid.size > 0,
    subscribed: subscriptions.some((s) => s.eventType === 'dm.received' && s.userId === userId && s.webhookId !== undefined && known.has(s.webhookId)),
  };
}
