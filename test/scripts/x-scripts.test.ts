import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/app/create-app.js';
import { readConfig } from '../../src/config/environment.js';
import { silentLogger } from '../../src/core/logger.js';
import { type FakeXApi, startFakeXApi, xChannelEnv } from '../support/fake-x-api.js';

const FORCE = '1111111111111111111';
const script = (name: string) => fileURLToPath(new URL(`../../scripts/${name}`, import.meta.url));

/** Runs a script as `npm run` would (without .env), feeding `answer(stdout so far)` to its stdin once it returns a line. */
function runScript(name: string, args: string[], env: Record<string, string>, answer?: (stdout: string) => string | undefined) {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TWITTER_') && !k.startsWith('REDIS_')));
  const child = spawn(process.execPath, ['--import', 'tsx', script(name), ...args], { env: { ...inherited, ...env }, stdio: 'pipe' });
  let stdout = '';
  let stderr = '';
  let answered = false;
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    const line = answered || answer === undefined ? undefined : answer(stdout);
    if (line !== undefined) {
      answered = true;
      child.stdin.end(`${line}\n`);
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  if (answer === undefined) child.stdin.end();
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe('npm run x:authorise', () => {
  let x: FakeXApi;
  const env = () => ({ TWITTER_OAUTH2_CLIENT_ID: 'test-client-id', TWITTER_OAUTH2_CLIENT_SECRET: 'test-client-secret', TWITTER_API_ROOT: x.url });
  const CALLBACK = 'https://bot.example.police.uk/x-authorised';

  beforeEach(async () => {
    x = await startFakeXApi({ accountId: FORCE });
  });
  afterEach(async () => {
    await x.close();
  });

  it('prints the PKCE authorise URL with the scopes, takes the address X sent the browser to, and prints a working refresh token', async () => {
    let authoriseUrl = '';
    const result = await runScript('x-authorise.ts', [CALLBACK], env(), (stdout) => {
      const url = /^https:\/\/x\.com\/i\/oauth2\/authorize\?\S+$/m.exec(stdout)?.[0];
      if (url === undefined) return undefined;
      authoriseUrl = url;
      const { code, state } = x.approve(url);
      return `${CALLBACK}?state=${state}&code=${code}`;
    });
    expect(result.code, result.stderr).toBe(0);
    const params = new URL(authoriseUrl).searchParams;
    expect(params.get('scope')).toBe('dm.read dm.write tweet.read users.read offline.access');
    expect(params.get('code_challenge_method')).toBe('s256');
    expect(params.get('redirect_uri')).toBe(CALLBACK);
    const printed = /^TWITTER_OAUTH2_REFRESH_TOKEN=(\S+)$/m.exec(result.stdout)?.[1];
    expect(printed).toBe(x.currentRefreshToken());
    expect(result.stdout).not.toMatch(/access-[0-9a-f]{24}/);
    const exchange = x.requests.find((r) => r.path === '/2/oauth2/token');
    expect(exchange?.body).toMatchObject({ grant_type: 'authorization_code', redirect_uri: CALLBACK, client_id: 'test-client-id' });
    expect(exchange?.headers['content-type']).toContain('application/x-www-form-urlencoded');
  });

  it('refuses an answer whose state is not this authorisation\'s, exchanging nothing', async () => {
    const result = await runScript('x-authorise.ts', [CALLBACK], env(), (stdout) => {
      const url = /^https:\/\/x\.com\/i\/oauth2\/authorize\?\S+$/m.exec(stdout)?.[0];
      if (url === undefined) return undefined;
      const { code } = x.approve(url);
      return `${CALLBACK}?state=someone-elses&code=${code}`;
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('not the answer to this authorisation');
    expect(x.requests.some((r) => r.path === '/2/oauth2/token')).toBe(false);
  });

  it('explains its use without the client id', async () => {
    const result = await runScript('x-authorise.ts', [CALLBACK], { TWITTER_API_ROOT: x.url });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Usage');
  });
});

describe('npm run x:setup', () => {
  let x: FakeXApi;
  let app: App;
  let base: string;
  let env: Record<string, string>;

  beforeEach(async () => {
    x = await startFakeXApi({ accountId: FORCE });
    // Bot and script share the token file (no Redis here), so each uses the refresh token the other last got.
    env = { ...xChannelEnv(x, { accountId: FORCE }), PORT: '0', HOST: '127.0.0.1', HANDLERS_FILE: `/tmp/x-setup-${process.pid}.json` };
  });
  afterEach(async () => {
    await app?.close();
    await x.close();
  });

  it('registers the webhook (the running bot answers X\'s challenge) and subscribes the account\'s DMs, lists them and deletes one, with the bot\'s own token', async () => {
    app = await createApp(readConfig(env), { logger: silentLogger });
    base = await app.listen();
    x.expireAccessTokens(); // so the script must refresh: with the chain the bot started, found in the shared file
    const set = await runScript('x-setup.ts', [base], env);
    expect(set.code, set.stderr).toBe(0);
    const state = JSON.parse(set.stdout.slice(0, set.stdout.indexOf('\n}') + 2)) as { webhooks: { id: string; url: string; valid: boolean }[]; subscriptions: { eventType: string; userId: string }[] };
    expect(state.webhooks).toEqual([expect.objectContaining({ url: `${base}/webhooks/twitter`, valid: true })]);
    expect(state.subscriptions.map((s) => [s.eventType, s.userId])).toEqual([
      ['dm.received', FORCE],
      ['chat.received', FORCE],
    ]);

    const listed = await runScript('x-setup.ts', ['--list'], env);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain('"eventType": "chat.received"');

    const chat = x.subscriptions.find((s) => s.event_type === 'chat.received')?.subscription_id as string;
    const deleted = await runScript('x-setup.ts', ['--delete', chat], env);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stdout).toContain(`deleted the subscription ${chat}`);
    expect(x.subscriptions.map((s) => s.event_type)).toEqual(['dm.received']);
    for (const out of [set, listed, deleted]) expect(out.stdout + out.stderr).not.toMatch(/test-client-secret|refresh-[0-9a-f]{24}|access-[0-9a-f]{24}/);

    // The bot still sends, with the newest token the script left in the file.
    x.expireAccessTokens();
    await app.channels.find((c) => c.id === 'twitter')?.sender.send({ channel: 'twitter', id: '2222222222222222222' }, [{ text: 'Still here.', choices: [], links: [] }]);
    expect(x.sentDirectMessages().map((dm) => dm.text)).toEqual(['Still here.']);
  });

  it('fails plainly for a plain-http public address', async () => {
    const result = await runScript('x-setup.ts', ['http://bot.example.police.uk'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('https');
    expect(x.webhooks).toEqual([]);
  });
});
