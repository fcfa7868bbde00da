import { describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config/environment.js';
import { ConfigError } from '../../src/core/errors.js';

const TELEGRAM = { TELEGRAM_BOT_TOKEN: '123456:ABC-def_ghi', TELEGRAM_WEBHOOK_SECRET: 'a-long-enough-secret' };
const TWITTER = {
  TWITTER_CONSUMER_KEY: 'ck',
  TWITTER_CONSUMER_SECRET: 'cs',
  TWITTER_USER_ID: '1234567890',
  TWITTER_OAUTH2_CLIENT_ID: 'client',
  TWITTER_OAUTH2_REFRESH_TOKEN: 'refresh',
};

function problems(env: Record<string, string>): string {
  try {
    readConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('readConfig', () => {
  it('starts with no channels and the default port when nothing is set', () => {
    const config = readConfig({});
    expect(config.port).toBe(3978);
    expect(config.telegram).toBeUndefined();
    expect(config.botframework).toBeUndefined();
    expect(config.twitter).toBeUndefined();
  });

  it('turns Telegram on with its token and secret, defaulting the API root and mode', () => {
    const config = readConfig(TELEGRAM);
    expect(config.telegram).toEqual({
      token: TELEGRAM.TELEGRAM_BOT_TOKEN,
      webhookSecret: TELEGRAM.TELEGRAM_WEBHOOK_SECRET,
      apiRoot: 'https://api.telegram.org',
      mode: 'webhook',
    });
  });

  it('needs no webhook secret in polling mode', () => {
    const config = readConfig({ TELEGRAM_BOT_TOKEN: '1:x', TELEGRAM_MODE: 'polling' });
    expect(config.telegram?.mode).toBe('polling');
  });

  it('names the missing webhook secret without echoing the token', () => {
    const message = problems({ TELEGRAM_BOT_TOKEN: '123456:SECRETTOKEN' });
    expect(message).toContain('TELEGRAM_WEBHOOK_SECRET is required');
    expect(message).not.toContain('SECRETTOKEN');
  });

  it('lets a claim stay idle 15 minutes by default, as set by CLAIM_IDLE_MINUTES, within 1 minute to a day', () => {
    expect(readConfig({}).claimIdleMs).toBe(15 * 60_000);
    expect(readConfig({ CLAIM_IDLE_MINUTES: '5' }).claimIdleMs).toBe(5 * 60_000);
    for (const value of ['0', '1441', 'soon', '-3']) expect(problems({ CLAIM_IDLE_MINUTES: value }), value).toContain('CLAIM_IDLE_MINUTES');
  });

  it('stops the process when a channel cannot start, unless CHANNEL_START_FAILURE=retry', () => {
    expect(readConfig({}).channelStartFailure).toBe('exit');
    expect(readConfig({ CHANNEL_START_FAILURE: 'retry' }).channelStartFailure).toBe('retry');
    expect(problems({ CHANNEL_START_FAILURE: 'ignore' })).toContain('CHANNEL_START_FAILURE');
  });

  it('gives a shutdown 10 seconds by default, as set by SHUTDOWN_TIMEOUT_SECONDS, within 1 to 300 seconds', () => {
    expect(readConfig({}).shutdownTimeoutMs).toBe(10_000);
    expect(readConfig({ SHUTDOWN_TIMEOUT_SECONDS: '25' }).shutdownTimeoutMs).toBe(25_000);
    for (const value of ['0', '301', 'later']) expect(problems({ SHUTDOWN_TIMEOUT_SECONDS: value }), value).toContain('SHUTDOWN_TIMEOUT_SECONDS');
  });

  it('keeps the audit log 365 days by default, as set by AUDIT_RETENTION_DAYS, within 1 day to 10 years', () => {
    expect(readConfig({}).auditRetentionDays).toBe(365);
    expect(readConfig({ AUDIT_RETENTION_DAYS: '2555' }).auditRetentionDays).toBe(2555);
    for (const value of ['0', '3651', 'a year', '1.5']) expect(problems({ AUDIT_RETENTION_DAYS: value }), value).toContain('AUDIT_RETENTION_DAYS');
  });

  it('names every malformed variable at once', () => {
    const message = problems({ PORT: 'eighty', TELEGRAM_MODE: 'carrier-pigeon', TELEGRAM_BOT_TOKEN: '1:x', LOG_LEVEL: 'loud' });
    expect(message).toContain('PORT');
    expect(message).toContain('TELEGRAM_MODE');
    expect(message).toContain('LOG_LEVEL');
  });

  it('allows unauthenticated Bot Framework only when asked and never in production', () => {
    expect(readConfig({ BOTFRAMEWORK_ALLOW_UNAUTHENTICATED: 'true' }).botframework?.allowUnauthenticated).toBe(true);
    expect(problems({ BOTFRAMEWORK_ALLOW_UNAUTHENTICATED: 'true', NODE_ENV: 'production' })).toContain('NODE_ENV=production');
  });

  it('requires the app password with an app id', () => {
    expect(problems({ MicrosoftAppId: 'app' })).toContain('MicrosoftAppPassword');
    const config = readConfig({ MicrosoftAppId: 'app', MicrosoftAppPassword: 'pw', MicrosoftAppTenantId: 'tenant', NODE_ENV: 'production' });
    expect(config.botframework).toMatchObject({ appId: 'app', allowUnauthenticated: false });
  });

  it('takes a Bot Framework app as SingleTenant unless told otherwise, and then needs its tenant id', () => {
    const message = problems({ MicrosoftAppId: 'app', MicrosoftAppPassword: 'pw' });
    expect(message).toContain('MicrosoftAppTenantId is required for a SingleTenant bot');
    expect(message).toContain('MicrosoftAppType=MultiTenant');
    expect(readConfig({ MicrosoftAppId: 'app', MicrosoftAppPassword: 'pw', MicrosoftAppTenantId: 'tenant' }).botframework).toMatchObject({
      appType: 'SingleTenant',
      tenantId: 'tenant',
    });
    expect(readConfig({ MicrosoftAppId: 'app', MicrosoftAppPassword: 'pw', MicrosoftAppType: 'MultiTenant' }).botframework?.appType).toBe('MultiTenant');
    expect(problems({ MicrosoftAppId: 'app', MicrosoftAppPassword: 'pw', MicrosoftAppType: 'Multi' })).toContain('MicrosoftAppType must be');
  });

  it('requires the app keys, the account id and the OAuth 2.0 authorisation once one X setting is set', () => {
    expect(problems({ TWITTER_CONSUMER_KEY: 'ck' })).toContain('TWITTER_USER_ID is required');
    expect(problems({ TWITTER_CONSUMER_KEY: 'ck' })).toContain('TWITTER_OAUTH2_REFRESH_TOKEN is required for v2 replies');
    expect(readConfig(TWITTER).twitter).toMatchObject({
      userId: '1234567890',
      apiRoot: 'https://api.x.com',
      webhookApi: 'activity',
      oauth2: { clientId: 'client', refreshToken: 'refresh' },
      quickReplies: undefined,
      healthCheckMs: 15 * 60_000,
    });
    expect(problems({ ...TWITTER, TWITTER_API_ROOT: 'ftp://x' })).toContain('TWITTER_API_ROOT');
    expect(problems({ ...TWITTER, TWITTER_WEBHOOK_API: 'streaming' })).toContain('TWITTER_WEBHOOK_API must be');
  });

  it('keeps v1.1 quick replies behind TWITTER_QUICK_REPLIES, with the OAuth 1.0a token they need', () => {
    expect(problems({ ...TWITTER, TWITTER_QUICK_REPLIES: 'true' })).toContain('TWITTER_ACCESS_TOKEN is required with TWITTER_QUICK_REPLIES=true');
    const legacy = { TWITTER_CONSUMER_KEY: 'ck', TWITTER_CONSUMER_SECRET: 'cs', TWITTER_USER_ID: '1', TWITTER_QUICK_REPLIES: 'true', TWITTER_ACCESS_TOKEN: 'at', TWITTER_ACCESS_SECRET: 'as' };
    // The Activity API needs the account's OAuth 2.0 authorisation even when replies go through v1.1.
    expect(problems(legacy)).toContain('TWITTER_OAUTH2_CLIENT_ID is required for X Activity API subscriptions');
    expect(readConfig({ ...legacy, TWITTER_WEBHOOK_API: 'account-activity' }).twitter).toMatchObject({
      webhookApi: 'account-activity',
      oauth2: undefined,
      quickReplies: { accessToken: 'at', accessSecret: 'as' },
    });
  });

  it.each([
    ['TELEGRAM_API_ROOT', TELEGRAM],
    ['TWITTER_API_ROOT', TWITTER],
  ])('refuses a plain-http %s except to a loopback address', (name, channel) => {
    expect(problems({ ...channel, [name]: 'http://api.example.com' })).toContain(`${name} must be an https URL`);
    expect(problems({ ...channel, [name]: 'http://10.0.0.5:8081' })).toContain(name);
    for (const root of ['https://api.example.com', 'http://127.0.0.1:8081', 'http://localhost:8081', 'http://[::1]:8081']) {
      expect(() => readConfig({ ...channel, [name]: root }), root).not.toThrow();
    }
  });

  it('refuses a metrics token shorter than 32 characters', () => {
    expect(problems({ METRICS_TOKEN: 'short-token' })).toContain('METRICS_TOKEN must be at least 32 characters');
    expect(problems({ METRICS_TOKEN: 'short-token' })).not.toContain('short-token');
    expect(readConfig({ METRICS_TOKEN: 'x'.repeat(32) }).metricsToken).toBe('x'.repeat(32));
  });

  it('keeps /metrics local unless METRICS_PUBLIC=true', () => {
    expect(readConfig({}).metricsPublic).toBe(false);
    expect(readConfig({ METRICS_PUBLIC: 'true' }).metricsPublic).toBe(true);
    expect(problems({ METRICS_PUBLIC: 'yes' })).toContain('METRICS_PUBLIC');
  });
});

describe('readConfig: the console cookie', () => {
  it.each([
    [{}, false],
    [{ NODE_ENV: 'development' }, false],
    [{ NODE_ENV: 'prod' }, false],
    [{ CONSOLE_INSECURE_COOKIE: 'false' }, false],
    [{ CONSOLE_INSECURE_COOKIE: 'true' }, true],
    [{ CONSOLE_INSECURE_COOKIE: 'true', NODE_ENV: 'production' }, true],
  ])('with %j the cookie is insecure: %s', (env, insecure) => {
    expect(readConfig(env).consoleInsecureCookie).toBe(insecure);
  });

  it('refuses a value other than true or false', () => {
    expect(problems({ CONSOLE_INSECURE_COOKIE: 'yes' })).toContain('CONSOLE_INSECURE_COOKIE must be "true" or "false"');
  });
});
