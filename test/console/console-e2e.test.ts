import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileHandlerAccounts } from '../../src/console/auth/handler-accounts.js';
import type { ConsoleEvents, HandlerPayload, NewTicket } from '../../src/handoff/handoff-model.js';
import type { MemoryHandoffQueue } from '../../src/storage/memory/handoff-queue.js';
import type { MemoryTranscriptStore } from '../../src/storage/memory/transcript-store.js';
import { axeViolations, contrastRatio } from '../support/axe.js';
import { launchChromium, type TestBrowser, watchPage } from '../support/browser.js';
import { type ConsoleServer, startConsoleServer } from '../support/console-server.js';
import type { FakeTelegramApi } from '../support/fake-telegram-api.js';
import { type TelegramApp, startTelegramApp } from '../support/telegram-app.js';
import type { TelegramPerson } from '../support/telegram-person.js';

const PASSWORD = 'correct horse battery staple';
const HASHING = { memoryCost: 8192, timeCost: 1, parallelism: 1 };
const IDLE_MS = 15 * 60_000;
const TIMEOUT = 10_000;

/** Signs in through the real sign-in page, as a handler does. */
async function signIn(page: Page, base: string, username: string, password = PASSWORD): Promise<void> {
  await page.goto(`${base}/console`);
  expect(new URL(page.url()).pathname).toBe('/console/login');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForLoadState('domcontentloaded');
}

/** Marks the document, so a test can prove a change arrived without the page reloading. */
async function markDocument(page: Page): Promise<() => Promise<boolean>> {
  await page.evaluate(() => {
    (globalThis as { __sameDocument?: boolean }).__sameDocument = true;
  });
  return () => page.evaluate(() => (globalThis as { __sameDocument?: boolean }).__sameDocument === true);
}

/**
 * Runs in the page before its scripts: records each browser notification
 * made and each tone started, passing them on to the real APIs.
 */
function recordAlerts(): void {
  const page = globalThis as any;
  const alerts = { notifications: [] as { title: string; body: string }[], beeps: 0 };
  page.__alerts = alerts;
  const RealNotification = page.Notification;
  class RecordedNotification extends RealNotification {
    constructor(title: string, options: { body?: string } = {}) {
      super(title, options);
      alerts.notifications.push({ title, body: options.body ?? '' });
    }
    static get permission() {
      return RealNotification.permission;
    }
    static requestPermission() {
      return RealNotification.requestPermission();
    }
  }
  page.Notification = RecordedNotification;
  const RealAudioContext = page.AudioContext;
  class RecordedAudioContext extends RealAudioContext {
    createOscillator() {
      const oscillator = super.createOscillator();
      const start = oscillator.start.bind(oscillator);
      oscillator.start = (...args: unknown[]) => {
        alerts.beeps += 1;
        return start(...args);
      };
      return oscillator;
    }
  }
  page.AudioContext = RecordedAudioContext;
}

describe('the call-handler console in Chromium', () => {
  let chrome: TestBrowser;

  beforeAll(async () => {
    chrome = await launchChromium();
  });

  afterAll(async () => {
    await chrome?.close();
  });

  describe('against the console with a controllable clock', () => {
    let dir: string;
    let server: ConsoleServer;
    let base: string;
    let skew = 0;
    const now = () => Date.now() + skew;
    let queue: MemoryHandoffQueue;
    let transcripts: MemoryTranscriptStore;
    let events: ConsoleEvents;
    let delivered: { key: string; payload: HandlerPayload }[];
    let alice: BrowserContext;
    let bob: BrowserContext;
    let sam: BrowserContext;

    const ticket = (chat: number, flags: Partial<NewTicket['flags']> = {}): NewTicket => ({
      conversationKey: `telegram:${chat}`,
      channel: 'telegram',
      reason: flags.crisis ? 'crisis' : 'requested',
      flags: { crisis: false, danger: false, under18: false, ...flags },
      answers: { ageGroup: flags.under18 ? 'under18' : 'adult', paid: true, knownPerson: false, stepsSeen: ['welcome', 'safety'] },
      locale: 'en-GB',
    });

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'console-e2e-'));
      const accounts = new FileHandlerAccounts({ path: join(dir, 'handlers.json'), hashing: HASHING });
      await accounts.add('alice', PASSWORD);
      await accounts.add('bob', PASSWORD);
      await accounts.add('sam', PASSWORD, { supervisor: true });
      server = await startConsoleServer({ accounts, now, idleMs: IDLE_MS });
      ({ base, queue, transcripts, events, delivered } = server);
      alice = await chrome.newContext();
      bob = await chrome.newContext();
      sam = await chrome.newContext();
    });

    afterAll(async () => {
      await alice?.close();
      await bob?.close();
      await sam?.close();
      await server?.app.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('refuses a wrong password on the sign-in page with an alert, and lets the right one in', async () => {
      const page = await alice.newPage();
      const watch = watchPage(page);
      await signIn(page, base, 'alice', 'not the password at all');
      expect(new URL(page.url()).pathname).toBe('/console/login');
      await expect(page.getByRole('alert').textContent()).resolves.toContain('The username or password is not right');
      // The sign-in page looks like the console: its header names the force, its error is a console alert, it has the icon.
      await expect(page.locator('header.top .brand').textContent()).resolves.toBe('Staffordshire Police · Call handler console');
      expect(await page.title()).toBe('Error: Sign in – Staffordshire Police call handler console');
      const look = (selector: string) =>
        page.locator(selector).evaluate((element) => {
          const style = (globalThis as any).getComputedStyle(element);
          return { border: style.borderTopColor as string, background: style.backgroundColor as string, color: style.color as string };
        });
      const signInAlert = await look('#sign-in-error');
      await page.screenshot({ path: '/tmp/console-sign-in.png' });
      expect(await look('header.top')).toMatchObject({ background: 'rgb(246, 247, 248)' });
      const icon = await page.locator('link[rel="icon"]').getAttribute('href');
      const favicon = await page.request.get(`${base}${icon}`);
      expect(favicon.status()).toBe(200);
      expect(favicon.headers()['content-type']).toBe('image/svg+xml');
      expect(watch.problems).toEqual([]);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${base}/console`);
      await page.getByText('Nobody is waiting right now.').waitFor({ timeout: TIMEOUT });
      await expect(page.locator('header.top .brand').textContent()).resolves.toBe('Staffordshire Police · Call handler console');
      expect(await page.locator('link[rel="icon"]').getAttribute('href')).toBe(icon);
      // The same alert style as the console's own alerts (the CRISIS alert on a conversation).
      const consoleAlert = await page.evaluate(() => {
        const doc = (globalThis as any).document;
        const probe = doc.createElement('p');
        probe.className = 'alert';
        doc.body.append(probe);
        const style = (globalThis as any).getComputedStyle(probe);
        const look = { border: style.borderTopColor as string, background: style.backgroundColor as string, color: style.color as string };
        probe.remove();
        return look;
      });
      expect(signInAlert).toEqual(consoleAlert);
      await page.close();
    });

    it('shows a new person without reloading, safely, and lets only one handler claim them', async () => {
      const page = await alice.newPage();
      const watch = watchPage(page);
      await page.goto(`${base}/console`);
      await page.getByText('Live updates are on.').waitFor({ timeout: TIMEOUT });
      const sameDocument = await markDocument(page);

      const queued = await queue.enqueue(ticket(501, { crisis: true }), now());
      await events.publish({ type: 'queue-changed' });
      const item = page.locator('#queue li.ticket');
      await item.first().waitFor({ timeout: TIMEOUT });
      expect(await sameDocument()).toBe(true);
      await expect(item.first().locator('.flag-crisis').textContent()).resolves.toBe('CRISIS');
      expect(await page.content()).not.toContain('telegram:501');
      // The time left before the queue time-out: 30 minutes for someone in crisis.
      await expect(item.first().locator('.meta').textContent()).resolves.toMatch(/Times out in (29|30) min/);

      // Keyboard: the item is a real link, reachable with Tab and opened with Enter.
      const link = item.first().getByRole('link');
      await link.focus();
      await page.keyboard.press('Enter');
      await page.waitForURL(`${base}/console/tickets/${queued.id}`);
      await page.getByText('Live updates are on.').waitFor({ timeout: TIMEOUT });
      await expect(page.locator('#alert').textContent()).resolves.toContain('CRISIS');
      await page.locator('#details').getByText('Times out in').waitFor({ timeout: TIMEOUT });
      await expect(page.locator('#details dt:has-text("Times out in") + dd').textContent()).resolves.toMatch(/^(29|30) min$/);

      // Bob has the same conversation open when Alice claims it.
      const bobPage = await bob.newPage();
      await signIn(bobPage, base, 'bob');
      await bobPage.goto(`${base}/console/tickets/${queued.id}`);
      await bobPage.getByText('Live updates are on.').waitFor({ timeout: TIMEOUT });

      // Claimed by keyboard: focus moves to the reply box, ready to write.
      await page.getByRole('button', { name: 'Claim' }).focus();
      await page.keyboard.press('Enter');
      await page.locator('#details').getByText('With you').waitFor({ timeout: TIMEOUT });
      await expect.poll(() => page.evaluate(() => (globalThis as any).document.activeElement?.id), { timeout: TIMEOUT }).toBe('reply-text');
      expect(delivered.at(-1)).toEqual({ key: 'telegram:501', payload: { type: 'handler', action: 'joined' } });

      // Bob's page follows without reloading: no claim button to press, and the server refuses a claim anyway.
      await bobPage.locator('#details').getByText('With alice', { exact: true }).waitFor({ timeout: TIMEOUT });
      expect(await bobPage.getByRole('button', { name: 'Claim' }).isDisabled()).toBe(true);
      expect(await bobPage.getByRole('button', { name: 'Send reply' }).isDisabled()).toBe(true);
      const bobClaim = await bobPage.evaluate(async (id) => {
        // Runs in the page (no DOM types in this project's compiler settings).
        const token = (globalThis as any).document.querySelector('meta[name="csrf-token"]')?.getAttribute('content') ?? '';
        const response = await fetch(`/console/api/tickets/${id}/claim`, { method: 'POST', headers: { 'x-csrf-token': token } });
        return { status: response.status, body: (await response.json()) as unknown };
      }, queued.id);
      expect(bobClaim).toEqual({ status: 409, body: { result: 'taken' } });

      // What a person writes is shown as text, never run as markup.
      const hostile = '<img src=x onerror="window.__pwned=1">they want £200';
      const entry = { at: now(), from: 'person' as const, text: hostile };
      await transcripts.append(queued.conversationKey, entry);
      await events.publish({ type: 'transcript', ticketId: queued.id, entry });
      await page.locator('#transcript .entry-text', { hasText: 'they want £200' }).waitFor({ timeout: TIMEOUT });
      await expect(page.locator('#transcript .entry-text').last().textContent()).resolves.toBe(hostile);
      expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(await page.locator('#transcript img').count()).toBe(0);

      // A saved reply is inserted into the box, then sent.
      await page.getByLabel('Saved replies').selectOption({ label: "Don't pay" });
      await page.getByRole('button', { name: 'Insert' }).click();
      const inserted = await page.getByRole('textbox', { name: 'Reply to the person' }).inputValue();
      expect(inserted).toContain("Please don't pay them");
      await page.getByRole('button', { name: 'Send reply' }).click();
      await page.locator('#transcript .from-handler').waitFor({ timeout: TIMEOUT });
      expect(delivered.at(-1)).toEqual({ key: 'telegram:501', payload: { type: 'handler', action: 'message', text: inserted } });
      expect(await page.getByRole('textbox', { name: 'Reply to the person' }).inputValue()).toBe('');
      expect(watch.problems).toEqual([]);
      await bobPage.close();
      await page.close();
    });

    it('refuses a request without the CSRF header even from the signed-in page', async () => {
      const queued = await queue.enqueue(ticket(502), now());
      const page = await alice.newPage();
      await page.goto(`${base}/console/tickets/${queued.id}`);
      const status = await page.evaluate(async (id) => (await fetch(`/console/api/tickets/${id}/claim`, { method: 'POST' })).status, queued.id);
      expect(status).toBe(403);
      expect((await queue.get(queued.id))?.status).toBe('queued');
      await page.close();
    });

    it('lets a supervisor take a conversation over by keyboard; the handler who had it sees it is no longer theirs', async () => {
      const queued = await queue.enqueue(ticket(504), now());
      const alicePage = await alice.newPage();
      const aliceWatch = watchPage(alicePage);
      await alicePage.goto(`${base}/console/tickets/${queued.id}`);
      await alicePage.getByText('Live updates are on.').waitFor({ timeout: TIMEOUT });
      await alicePage.getByRole('button', { name: 'Claim' }).click();
      await alicePage.locator('#details').getByText('With you').waitFor({ timeout: TIMEOUT });

      // A handler who is not a supervisor is not offered the button at all.
      const bobPage = await bob.newPage();
      await bobPage.goto(`${base}/console/tickets/${queued.id}`);
      await bobPage.getByText('Live updates are on.').waitFor({ timeout: TIMEOUT });
      expect(await bobPage.getByRole('button', { name: 'Take over' }).count()).toBe(0);

      const samPage = await sam.newPage();
      const samWatch = watchPage(samPage);
      await signIn(samPage, base, 'sam');
      await samPage.goto(`${base}/console/tickets/${queued.id}`);
      await samPage.getByText('Live updates are on.').waitFor({ timeout: TIMEOUT });
      const takeOver = samPage.getByRole('button', { name: 'Take over' });
      await expect.poll(() => takeOver.isEnabled(), { timeout: TIMEOUT }).toBe(true);
      await takeOver.focus();
      await samPage.keyboard.press('Enter');
      await samPage.locator('#details').getByText('With you').waitFor({ timeout: TIMEOUT });
      expect(await takeOver.isDisabled()).toBe(true);
      expect(await samPage.getByRole('button', { name: 'Send reply' }).isEnabled()).toBe(true);

      await alicePage.getByText('A supervisor has taken over this conversation. It is no longer with you.').waitFor({ timeout: TIMEOUT });
      await alicePage.locator('#details').getByText('With sam', { exact: true }).waitFor({ timeout: TIMEOUT });
      expect(await alicePage.getByRole('button', { name: 'Send reply' }).isDisabled()).toBe(true);
      await alicePage.locator('#transcript .from-system', { hasText: 'sam (supervisor) took over from alice.' }).waitFor({ timeout: TIMEOUT });
      // The person was told a handler joined once, and nothing about the change.
      expect(delivered.filter((d) => d.key === 'telegram:504').map((d) => d.payload.action)).toEqual(['joined']);
      expect(aliceWatch.problems).toEqual([]);
      expect(samWatch.problems).toEqual([]);
      await Promise.all([alicePage.close(), bobPage.close(), samPage.close()]);
    });

    it('gives a supervisor the audit log, by keyboard: labelled filters, a table filled as text, older entries on request', async () => {
      const start = now() - 3600_000;
      for (let i = 0; i < 60; i++) await server.audit.append({ at: start + i * 1000, handler: i % 2 === 0 ? 'alice' : 'bob', action: 'viewed', ticketId: `ticket-${i}` });
      const hostile = '<img src=x onerror="window.__pwned=1">';
      await server.audit.append({ at: start + 61_000, handler: 'alice', action: 'noted', ticketId: hostile });

      const page = await sam.newPage();
      const watch = watchPage(page);
      await page.goto(`${base}/console`);
      const link = page.getByRole('link', { name: 'Audit log' });
      await link.focus();
      await page.keyboard.press('Enter');
      await page.waitForURL(`${base}/console/audit`);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Audit log');
      const table = page.getByRole('table', { name: 'Audit entries, newest first (UK time)' });
      await table.getByRole('row').nth(1).waitFor({ timeout: TIMEOUT });
      for (const header of ['Time', 'Handler', 'Action', 'Conversation', 'Details']) {
        expect(await table.getByRole('columnheader', { name: header }).count(), header).toBe(1);
      }
      // The marked-up "ticket id" is shown as text and never runs.
      await page.getByRole('cell', { name: hostile }).waitFor({ timeout: TIMEOUT });
      expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(await page.locator('#entries img').count()).toBe(0);

      // Fifty to a page; the rest on request.
      const bodyRows = page.locator('#entries tr');
      await expect.poll(() => bodyRows.count(), { timeout: TIMEOUT }).toBe(50);
      await page.getByRole('button', { name: 'Show older entries' }).focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => bodyRows.count(), { timeout: TIMEOUT }).toBeGreaterThan(60);

      // Filter by handler with the form, from the keyboard.
      await page.getByLabel('Handler (username)').fill('bob');
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/console\/audit\?handler=bob/);
      // Bob's 30 entries above, and his own sign-in and views from the tests before.
      await expect.poll(() => bodyRows.count(), { timeout: TIMEOUT }).toBeGreaterThanOrEqual(30);
      expect(await page.getByLabel('Handler (username)').inputValue()).toBe('bob');
      const handlers = await page.locator('#entries tr td:nth-child(2)').allTextContents();
      expect(new Set(handlers)).toEqual(new Set(['bob']));
      for (const label of ['Conversation (ticket id)', 'From (date)', 'To (date)']) expect(await page.getByLabel(label).count(), label).toBe(1);
      await page.screenshot({ path: '/tmp/console-audit.png', fullPage: false });
      expect(watch.problems).toEqual([]);
      await page.close();

      // Someone who is not a supervisor is told plainly, and sees no entries.
      const bobPage = await bob.newPage();
      const response = await bobPage.goto(`${base}/console/audit`);
      expect(response?.status()).toBe(403);
      await bobPage.getByText('Only a supervisor can do that.').waitFor({ timeout: TIMEOUT });
      expect(await bobPage.locator('table').count()).toBe(0);
      await bobPage.close();
    });

    it('alerts a handler to arrivals: the count waiting in the title, a banner for crisis and danger, and a sound and notification once switched on', async () => {
      const context = await chrome.newContext();
      await context.grantPermissions(['notifications'], { origin: base });
      await context.addInitScript(recordAlerts);
      const page = await context.newPage();
      const watch = watchPage(page);
      await signIn(page, base, 'bob');
      await page.getByText('Live updates are on.').waitFor({ timeout: TIMEOUT });
      const waiting = async () => (await queue.list()).filter((t) => t.status === 'queued').length;
      const announced = () => page.evaluate(() => (globalThis as unknown as { __alerts: { notifications: { title: string; body: string }[]; beeps: number } }).__alerts);

      // Off by default.
      const toggle = page.getByRole('switch', { name: 'Sound and notification when someone in crisis or danger arrives' });
      expect(await toggle.isChecked()).toBe(false);
      await queue.enqueue(ticket(601), now());
      await events.publish({ type: 'queue-changed' });
      await expect.poll(() => page.title(), { timeout: TIMEOUT }).toBe(`(${await waiting()}) People waiting – Call handler console`);
      const banner = page.getByRole('alert').filter({ hasText: 'Someone in crisis or danger is waiting' });
      expect(await banner.isVisible()).toBe(false);

      // A new crisis ticket: the banner, in words, with a link to it; nothing heard while the switch is off.
      const crisis = await queue.enqueue(ticket(602, { crisis: true }), now());
      await events.publish({ type: 'queue-changed' });
      await banner.waitFor({ timeout: TIMEOUT });
      await expect(banner.getByRole('link').textContent()).resolves.toBe('CRISIS – Crisis – Telegram');
      expect(await banner.getByRole('link').getAttribute('href')).toBe(`/console/tickets/${crisis.id}`);
      await expect.poll(() => page.title(), { timeout: TIMEOUT }).toBe(`(${await waiting()}) People waiting – Call handler console`);
      expect(await announced()).toEqual({ notifications: [], beeps: 0 });

      // Switched on by keyboard, and remembered by this browser.
      await toggle.focus();
      await page.keyboard.press('Space');
      expect(await toggle.isChecked()).toBe(true);
      await page.reload();
      await page.getByText('Live updates are on.').waitFor({ timeout: TIMEOUT });
      expect(await toggle.isChecked()).toBe(true);
      await page.locator('body').click();

      // A new danger ticket is heard and notified, without a word the person wrote.
      await queue.enqueue({ ...ticket(603, { danger: true }), reason: 'danger' }, now());
      await events.publish({ type: 'queue-changed' });
      await expect.poll(async () => (await announced()).notifications.length, { timeout: TIMEOUT }).toBe(1);
      expect((await announced()).notifications).toEqual([{ title: 'Urgent: someone is waiting', body: 'DANGER – In danger – Telegram' }]);
      await expect.poll(async () => (await announced()).beeps, { timeout: TIMEOUT }).toBeGreaterThan(0);
      await expect(banner.getByRole('link').allTextContents()).resolves.toEqual(['CRISIS – Crisis – Telegram', 'DANGER – In danger – Telegram']);

      // Seen: the banner goes, and stays gone on the next page; a later arrival brings it back.
      await banner.getByRole('button', { name: 'I have seen this' }).click();
      expect(await banner.isVisible()).toBe(false);
      await page.reload();
      await page.getByText('Live updates are on.').waitFor({ timeout: TIMEOUT });
      await expect.poll(() => page.title(), { timeout: TIMEOUT }).toMatch(/^\(\d+\) People waiting/);
      expect(await banner.isVisible()).toBe(false);
      await queue.enqueue(ticket(604, { crisis: true }), now());
      await events.publish({ type: 'queue-changed' });
      await banner.waitFor({ timeout: TIMEOUT });
      expect(await banner.getByRole('link').count()).toBe(1);
      expect(watch.problems).toEqual([]);
      await context.close();
    });

    it('pins a risk summary above the transcript: what they told and when, "not asked" for the rest, the advice given and the flagged messages', async () => {
      const toldAt = now() - 5 * 60_000;
      const queued = await queue.enqueue(
        {
          ...ticket(620, { crisis: true, under18: true }),
          answers: {
            ageGroup: 'under18',
            age: 15,
            paid: true,
            knownPerson: false,
            stepsSeen: ['welcome', 'safety', 'risk', 'age', 'under18', 'paid', 'paidAdvice', 'contact'],
            facts: { ageGroup: 'under18', age: 15, paid: true, payMethod: 'giftCard', amount: 200, who: 'stranger', images: 'threatened', platform: 'instagram' },
            risk: 'thoughts',
            riskAt: toldAt,
          },
        },
        now(),
      );
      const lines = [
        { at: toldAt - 1000, from: 'person' as const, text: 'they have my pics and want £200' },
        { at: toldAt, from: 'person' as const, text: 'honestly i just want to die', flag: 'crisis' as const },
        ...Array.from({ length: 30 }, (_, i) => ({ at: toldAt + 1000 * (i + 1), from: 'bot' as const, text: `A long reply from the bot, number ${i + 1}, that fills the transcript.` })),
      ];
      for (const line of lines) await transcripts.append(queued.conversationKey, line);
      const context = await chrome.newContext();
      const page = await context.newPage();
      const watch = watchPage(page);
      await signIn(page, base, 'alice');
      await page.goto(`${base}/console/tickets/${queued.id}`);
      await page.getByText('Live updates are on.').waitFor({ timeout: TIMEOUT });
      const summary = page.getByRole('region', { name: 'Risk summary' });
      const value = (label: string) => summary.locator(`dt:text-is("${label}") + dd`).textContent();
      await expect.poll(() => value('Risk to their life'), { timeout: TIMEOUT }).toMatch(/^Thoughts of suicide or self-harm \(told at \d\d:\d\d\)$/);
      expect(await value('Danger from someone')).toBe('none disclosed');
      expect(await value('Age')).toBe('15 (under 18)');
      expect(await value('Paid')).toBe('Yes by gift card, about 200');
      expect(await value('Who it is')).toBe('A stranger online');
      expect(await value('What is demanded')).toBe('not asked');
      expect(await value('Images')).toBe('Only threatened so far');
      expect(await value('Deadline')).toBe('not asked');
      expect(await value('Where')).toBe('Instagram');
      expect(await value('Who is writing')).toBe('not asked');
      expect(await summary.locator('#advice li').allTextContents()).toEqual([
        'Crisis contacts: 999, Samaritans, Childline',
        'Child routes: CEOP, Childline, Report Remove',
        'What to do now they have paid',
        'Stop contact',
      ]);
      await expect.poll(() => summary.locator('#flagged li').count(), { timeout: TIMEOUT }).toBe(1);
      await expect(summary.locator('#flagged li .entry-text').textContent()).resolves.toBe('honestly i just want to die');
      // No internal step ids anywhere on the page.
      expect(await page.locator('main').innerText()).not.toMatch(/paidAdvice|under18|stepsSeen/);

      // The transcript scrolls to its newest line inside its own box; the summary above it stays in view.
      const transcript = page.locator('#transcript');
      await expect.poll(() => transcript.evaluate((list) => list.scrollTop > 0), { timeout: TIMEOUT }).toBe(true);
      const summaryBox = await summary.boundingBox();
      const transcriptBox = await transcript.boundingBox();
      expect(summaryBox!.y + summaryBox!.height).toBeLessThanOrEqual(transcriptBox!.y);
      expect(await summary.locator('#flagged li').isVisible()).toBe(true);
      await page.screenshot({ path: '/tmp/console-summary.png', fullPage: true });
      expect(watch.problems).toEqual([]);
      await context.close();
    });

    it('names the platform as the person knows it, from Bot Framework\'s channel id, never "Bot Framework"', async () => {
      const viaBotFramework = (channelId: string, id: number): NewTicket => ({ ...ticket(id), conversationKey: `botframework:${channelId}:conv-${id}`, channel: 'botframework' });
      const tickets = [
        await queue.enqueue(viaBotFramework('facebook', 630), now()),
        await queue.enqueue(viaBotFramework('msteams', 631), now()),
        await queue.enqueue(viaBotFramework('webchat', 632), now()),
        await queue.enqueue({ ...ticket(633), conversationKey: 'twitter:633', channel: 'twitter' }, now()),
      ];
      const context = await chrome.newContext();
      const page = await context.newPage();
      await signIn(page, base, 'bob');
      await page.getByText('Live updates are on.').waitFor({ timeout: TIMEOUT });
      const heading = (id: string) => page.locator(`#queue li[data-ticket-id="${id}"] .ticket-heading`).textContent();
      await expect.poll(() => heading(tickets[0]!.id), { timeout: TIMEOUT }).toBe('Standard – Asked for a person – Messenger');
      expect(await heading(tickets[1]!.id)).toBe('Standard – Asked for a person – Teams');
      expect(await heading(tickets[2]!.id)).toBe('Standard – Asked for a person – Web Chat');
      expect(await heading(tickets[3]!.id)).toBe('Standard – Asked for a person – X');
      expect(await page.locator('main').innerText()).not.toContain('Bot Framework');
      await page.goto(`${base}/console/tickets/${tickets[1]!.id}`);
      await expect.poll(() => page.locator('#details dt:text-is("Channel") + dd').textContent(), { timeout: TIMEOUT }).toBe('Teams');
      expect(await page.content()).not.toContain('conv-631');
      for (const queued of tickets) await queue.remove(queued.id);
      await context.close();
    });

    it('shows the people waiting first, then those with a handler, saying with whom: "With you" first', async () => {
      for (const t of await queue.list()) await queue.remove(t.id);
      const waitingOne = await queue.enqueue(ticket(640), now());
      const bobs = await queue.enqueue(ticket(641, { crisis: true }), now());
      const alices = await queue.enqueue(ticket(642), now());
      await queue.claim(bobs.id, 'bob', now());
      await queue.claim(alices.id, 'alice', now());
      const context = await chrome.newContext();
      const page = await context.newPage();
      await signIn(page, base, 'alice');
      await page.getByText('Live updates are on.').waitFor({ timeout: TIMEOUT });
      const waitingList = page.getByRole('list', { name: 'Waiting (1)' });
      const claimedList = page.getByRole('list', { name: 'With a handler (2)' });
      await waitingList.waitFor({ timeout: TIMEOUT });
      expect(await waitingList.locator('li.ticket').evaluateAll((items) => items.map((li) => (li as any).dataset.ticketId))).toEqual([waitingOne.id]);
      expect(await claimedList.locator('li.ticket').evaluateAll((items) => items.map((li) => (li as any).dataset.ticketId))).toEqual([alices.id, bobs.id]);
      await expect(claimedList.locator('li.ticket .meta').allTextContents()).resolves.toEqual([expect.stringMatching(/With you$/), expect.stringMatching(/With bob$/)]);
      // Waiting comes first on the page.
      const [waitingBox, claimedBox] = [await waitingList.boundingBox(), await claimedList.boundingBox()];
      expect(waitingBox!.y).toBeLessThan(claimedBox!.y);
      for (const t of [waitingOne, bobs, alices]) await queue.remove(t.id);
      await context.close();
    });

    it('passes axe-core (WCAG 2.2 A and AA) on every console page and state, with AAA contrast on the crisis and danger badges', async () => {
      for (const t of await queue.list()) await queue.remove(t.id);
      const context = await chrome.newContext();
      const page = await context.newPage();
      const watch = watchPage(page);
      const checked: Record<string, string[]> = {};
      const check = async (name: string) => {
        checked[name] = await axeViolations(page);
      };

      await page.goto(`${base}/console/login`);
      await check('sign-in');
      await signIn(page, base, 'sam', 'not the password at all');
      await page.getByRole('alert').waitFor({ timeout: TIMEOUT });
      await check('sign-in with an error');
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByText('Nobody is waiting right now.').waitFor({ timeout: TIMEOUT });
      await check('queue, empty');

      const crisis = await queue.enqueue(ticket(660, { crisis: true, under18: true }), now());
      await queue.enqueue({ ...ticket(661, { danger: true }), reason: 'danger' }, now());
      await queue.enqueue(ticket(662, { under18: true }), now());
      const held = await queue.enqueue(ticket(663), now());
      await queue.claim(held.id, 'alice', now());
      await transcripts.append(crisis.conversationKey, { at: now(), from: 'person', text: 'Talk to a person', pressed: true });
      await transcripts.append(crisis.conversationKey, { at: now(), from: 'person', text: 'i want to end it all', flag: 'crisis' });
      await transcripts.append(crisis.conversationKey, { at: now(), from: 'bot', text: 'If you are in danger, call 999 now.' });
      await transcripts.append(crisis.conversationKey, { at: now(), from: 'note', text: 'Called back.', handler: 'alice' });
      await events.publish({ type: 'queue-changed' });
      await page.getByRole('alert').filter({ hasText: 'Someone in crisis or danger is waiting' }).waitFor({ timeout: TIMEOUT });
      await page.getByRole('list', { name: 'With a handler (1)' }).waitFor({ timeout: TIMEOUT });
      await check('queue, with arrivals');

      // The crisis and danger badges reach AAA contrast (7:1), as the banner's words do.
      for (const selector of ['#queue .flag-crisis', '#queue .flag-danger', '#arrivals a']) {
        const colours = await page.locator(selector).first().evaluate((element) => {
          const style = (globalThis as any).getComputedStyle(element);
          let background = style.backgroundColor as string;
          for (let node = element; background === 'rgba(0, 0, 0, 0)' && node.parentElement; node = node.parentElement) {
            background = (globalThis as any).getComputedStyle(node.parentElement).backgroundColor;
          }
          return { color: style.color as string, background };
        });
        expect(contrastRatio(colours.color, colours.background), `${selector}: ${JSON.stringify(colours)}`).toBeGreaterThanOrEqual(7);
      }

      await page.goto(`${base}/console/tickets/${crisis.id}`);
      await page.locator('#flagged li').waitFor({ timeout: TIMEOUT });
      await check('conversation, waiting');
      await page.getByRole('button', { name: 'Claim' }).click();
      await page.locator('#details').getByText('With you').waitFor({ timeout: TIMEOUT });
      await page.getByRole('button', { name: 'End conversation' }).click();
      await page.getByRole('dialog').waitFor({ timeout: TIMEOUT });
      await check('conversation, asked to confirm the end');
      await page.getByRole('button', { name: 'Yes, end the conversation' }).click();
      await page.getByText('This conversation has ended, so it is no longer in the queue.').waitFor({ timeout: TIMEOUT });
      await check('conversation, ended');
      await page.reload();
      await page.locator('#transcript li').first().waitFor({ timeout: TIMEOUT });
      await check('conversation, reopened after it ended');

      await page.goto(`${base}/console/audit`);
      await page.locator('#entries tr').first().waitFor({ timeout: TIMEOUT });
      await check('audit log');
      await page.goto(`${base}/console/tickets/no-such-ticket`);
      await check('conversation that has gone');

      const bobContext = await chrome.newContext();
      const bobPage = await bobContext.newPage();
      await signIn(bobPage, base, 'bob');
      await bobPage.goto(`${base}/console/audit`);
      await bobPage.getByText('Only a supervisor can do that.').waitFor({ timeout: TIMEOUT });
      checked['supervisors only'] = await axeViolations(bobPage);

      expect(checked).toEqual(Object.fromEntries(Object.keys(checked).map((name) => [name, []])));
      expect(Object.keys(checked)).toHaveLength(11);
      expect(watch.problems).toEqual([]);
      for (const t of await queue.list()) await queue.remove(t.id);
      await Promise.all([context.close(), bobContext.close()]);
      // Eleven pages through axe-core take a while on a shared machine.
    }, 180_000);

    it('sends a handler whose session timed out back to the sign-in page', async () => {
      const queued = await queue.enqueue(ticket(503, { under18: true }), now());
      const page = await alice.newPage();
      await page.goto(`${base}/console/tickets/${queued.id}`);
      await page.getByText('Live updates are on.').waitFor({ timeout: TIMEOUT });
      skew += IDLE_MS + 1000;
      await page.getByRole('button', { name: 'Claim' }).click();
      // Poll the address rather than wait for one navigation: the page's live
      // stream may find the session gone at the same moment as the claim does.
      await expect.poll(() => page.url(), { timeout: TIMEOUT }).toBe(`${base}/console/login`);
      await page.getByLabel('Password').waitFor({ timeout: TIMEOUT });
      expect((await queue.get(queued.id))?.status).toBe('queued');
      await page.close();
    });

    it('times out a handler who does nothing even while the page refreshes itself, and keeps one who is typing', async () => {
      const idle = await chrome.newContext();
      const idlePage = await idle.newPage();
      await signIn(idlePage, base, 'bob');
      await idlePage.getByText('Live updates are on.').waitFor({ timeout: TIMEOUT });
      const busy = await chrome.newContext();
      const busyPage = await busy.newPage();
      await signIn(busyPage, base, 'alice');
      await busyPage.getByText('Live updates are on.').waitFor({ timeout: TIMEOUT });

      skew += 10 * 60_000;
      // Both pages refresh themselves when the queue changes: that is the page, not the handler.
      const arrived = await queue.enqueue(ticket(650), now());
      await events.publish({ type: 'queue-changed' });
      for (const page of [idlePage, busyPage]) await page.locator(`#queue li[data-ticket-id="${arrived.id}"]`).waitFor({ timeout: TIMEOUT });
      // Alice is typing (a long reply, say): that is the handler at work.
      const activity = busyPage.waitForResponse((response) => response.url().endsWith('/console/api/activity'));
      await busyPage.keyboard.press('Tab');
      expect((await activity).status()).toBe(204);

      skew += 6 * 60_000;
      await idlePage.reload();
      await expect.poll(() => new URL(idlePage.url()).pathname, { timeout: TIMEOUT }).toBe('/console/login');
      await busyPage.reload();
      await busyPage.getByText('Live updates are on.').waitFor({ timeout: TIMEOUT });
      expect(new URL(busyPage.url()).pathname).toBe('/console');
      await queue.remove(arrived.id);
      await Promise.all([idle.close(), busy.close()]);
    });
  });

  describe('near the end of a shift', () => {
    it('warns ten minutes before the session ends however busy the handler is, saying when', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'console-shift-'));
      const accounts = new FileHandlerAccounts({ path: join(dir, 'handlers.json'), hashing: HASHING });
      await accounts.add('alice', PASSWORD);
      // A session that lasts nine minutes in all: the page is already inside the last ten.
      const server = await startConsoleServer({ accounts, now: Date.now, absoluteMs: 9 * 60_000 });
      const context = await chrome.newContext();
      const page = await context.newPage();
      const watch = watchPage(page);
      try {
        await signIn(page, server.base, 'alice');
        const warning = page.getByRole('alert').filter({ hasText: 'Your session ends at' });
        await warning.waitFor({ timeout: TIMEOUT });
        const endsAt = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/London' });
        const expected = [Date.now() + 9 * 60_000 - 60_000, Date.now() + 9 * 60_000].map((at) => endsAt.format(new Date(at)));
        const text = (await warning.textContent()) ?? '';
        expect(expected.some((time) => text.startsWith(`Your session ends at ${time}.`)), text).toBe(true);
        expect(text).toContain('Finish or hand back what you are doing, then sign out and sign in again.');
        expect(await axeViolations(page)).toEqual([]);
        expect(watch.problems).toEqual([]);
      } finally {
        await context.close();
        await server.app.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('does not warn a handler early in a 12-hour shift', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'console-shift-'));
      const accounts = new FileHandlerAccounts({ path: join(dir, 'handlers.json'), hashing: HASHING });
      await accounts.add('alice', PASSWORD);
      const server = await startConsoleServer({ accounts, now: Date.now });
      const context = await chrome.newContext();
      const page = await context.newPage();
      try {
        await signIn(page, server.base, 'alice');
        await page.getByText('Live updates are on.').waitFor({ timeout: TIMEOUT });
        const seconds = Number(await page.locator('meta[name="session-ends-in"]').getAttribute('content'));
        expect(seconds).toBeGreaterThan(12 * 3600 - 60);
        expect(seconds).toBeLessThanOrEqual(12 * 3600);
        expect(await page.locator('#session-warning').count()).toBe(0);
      } finally {
        await context.close();
        await server.app.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('a person on Telegram and a call handler, through the whole app', () => {
    const CHAT = 7_345_001;
    let started: TelegramApp;
    let base: string;
    let telegram: FakeTelegramApi;
    let person: TelegramPerson;
    const say = (text: string) => person.say(text);
    const received = () => person.received();
    const receivedText = (fragment: string, after = 0) => person.receivedText(fragment, after);

    beforeAll(async () => {
      started = await startTelegramApp({ handlers: ['alice'] });
      ({ base, telegram } = started);
      person = started.person(CHAT, { timeoutMs: TIMEOUT });
    });

    afterAll(async () => {
      await started?.close();
    });

    it('shows what a young person in crisis told the bot in the risk summary, the message that raised the flag pinned', async () => {
      const context = await chrome.newContext();
      const page = await context.newPage();
      const watch = watchPage(page);
      await signIn(page, base, 'alice');
      await page.getByText('Live updates are on.').waitFor({ timeout: TIMEOUT });
      const someone = started.person(CHAT + 1, { timeoutMs: TIMEOUT });
      await someone.say('im 15 and he wants £100 on a gift card');
      await someone.receivedText('');
      await someone.say('i want to kill myself');
      await someone.receivedText('call handlers to join');
      const link = page.locator('#queue li.ticket').filter({ hasText: 'Crisis' }).getByRole('link');
      await link.waitFor({ timeout: TIMEOUT });
      await link.click();
      const summary = page.getByRole('region', { name: 'Risk summary' });
      await expect.poll(() => summary.locator('#flagged li .entry-text').allTextContents(), { timeout: TIMEOUT }).toEqual(['i want to kill myself']);
      await expect(summary.locator('dt:text-is("Age") + dd').textContent()).resolves.toBe('15 (under 18)');
      await expect(summary.locator('dt:text-is("Risk to their life") + dd').textContent()).resolves.toMatch(/^Thoughts of suicide or self-harm \(told at/);
      await expect(summary.locator('dt:text-is("What is demanded") + dd').textContent()).resolves.toBe('Money');
      expect(await summary.locator('#advice li').allTextContents()).toContain('Crisis contacts: 999, Samaritans, Childline');

      // What they tell while waiting reaches the summary too.
      await someone.say('he said i have until midnight');
      await expect.poll(() => summary.locator('dt:text-is("Deadline") + dd').textContent(), { timeout: TIMEOUT }).toBe('They were given a deadline');
      await someone.say('cancel');
      await someone.receivedText("you've left the queue");
      expect(watch.problems).toEqual([]);
      await context.close();
    });

    it('queues the person, lets the handler claim, reply and end, and hands the person back to the bot', async () => {
      const context = await chrome.newContext();
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
      const page = await context.newPage();
      const watch = watchPage(page);
      await signIn(page, base, 'alice');
      await page.waitForURL(`${base}/console`);
      await page.getByText('Live updates are on.').waitFor({ timeout: TIMEOUT });
      const sameDocument = await markDocument(page);

      await say('hi');
      await receivedText('');
      await person.press('human');
      await receivedText('A call handler will be with you shortly');

      const item = page.locator('#queue li.ticket');
      await item.first().waitFor({ timeout: TIMEOUT });
      expect(await sameDocument()).toBe(true);
      expect(await item.count()).toBe(1);
      expect(await page.content()).not.toContain(String(CHAT));
      await page.screenshot({ path: '/tmp/console-queue.png', fullPage: true });

      await expect(item.first().getByRole('link').textContent()).resolves.toBe('Standard – Asked for a person – Telegram');
      await item.first().getByRole('link').click();
      await page.getByText('Live updates are on.').waitFor({ timeout: TIMEOUT });
      // The button they pressed, as they saw it: never its id.
      const pressed = page.locator('#transcript .from-person .entry-text').first();
      await expect.poll(() => pressed.textContent(), { timeout: TIMEOUT }).toBe('Pressed the button Talk to a person');
      await expect(pressed.locator('.pressed').textContent()).resolves.toBe('Talk to a person');
      expect(await page.locator('main').innerText()).not.toMatch(/\[pressed|\bhuman\b/);
      await page.getByRole('button', { name: 'Claim' }).click();
      await page.locator('#details').getByText('With you').waitFor({ timeout: TIMEOUT });
      const joined = await receivedText('has joined the chat');

      await page.getByRole('textbox', { name: 'Reply to the person' }).fill('Hi, I am Alice, a call handler. I am here to help you.');
      await page.getByRole('button', { name: 'Send reply' }).click();
      await receivedText('Hi, I am Alice, a call handler.', joined);
      await page.getByLabel('Saved replies').selectOption({ label: "It's not your fault" });
      await page.getByRole('button', { name: 'Insert' }).click();
      await page.getByRole('button', { name: 'Send reply' }).click();
      const savedSent = await receivedText('What is happening to you is not your fault.', joined);

      const chatSameDocument = await markDocument(page);
      await say('they want 200 pounds by tonight');
      await page.locator('#transcript .from-person', { hasText: 'they want 200 pounds by tonight' }).waitFor({ timeout: TIMEOUT });
      expect(await chatSameDocument()).toBe(true);
      // The bot stays quiet while the handler has the conversation.
      expect(received().length).toBe(savedSent + 1);
      await page.screenshot({ path: '/tmp/console-conversation.png', fullPage: true });

      // The record for the force's incident log: the reference on the page, the transcript copied while open.
      const reference = (await page.locator('#reference').textContent()) ?? '';
      expect(reference).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
      await expect(page.locator('#details dt:text-is("Reference") + dd').textContent()).resolves.toBe(reference);
      await page.getByRole('button', { name: 'Copy transcript' }).click();
      await page.getByText('Transcript copied, with its reference and times.').waitFor({ timeout: TIMEOUT });
      const copied = await page.evaluate(() => (globalThis as any).navigator.clipboard.readText() as Promise<string>);
      expect(copied).toContain(`Reference: ${reference}`);
      expect(copied).toContain('Still open');
      expect(copied).toMatch(/\] Person: they want 200 pounds by tonight\n/);
      expect(copied).toMatch(/\] Person: Pressed the button: Talk to a person\n/);
      expect(copied).not.toContain(String(CHAT));

      // Ending asks first; Escape (or "No") keeps the conversation going and says nothing to the person.
      const sentBefore = received().length;
      const endButton = page.getByRole('button', { name: 'End conversation' });
      await endButton.click();
      const confirm = page.getByRole('dialog', { name: 'End this conversation?' });
      await confirm.waitFor({ timeout: TIMEOUT });
      await expect.poll(() => page.evaluate(() => (globalThis as any).document.activeElement?.id), { timeout: TIMEOUT }).toBe('end-cancel');
      await page.keyboard.press('Escape');
      await confirm.waitFor({ state: 'hidden', timeout: TIMEOUT });
      await expect.poll(() => page.evaluate(() => (globalThis as any).document.activeElement?.id), { timeout: TIMEOUT }).toBe('end');
      await endButton.click();
      await confirm.getByRole('button', { name: 'No, keep talking' }).click();
      await confirm.waitFor({ state: 'hidden', timeout: TIMEOUT });
      expect((await started.app.handoff.queue.list()).map((t) => t.status)).toEqual(['claimed']);
      expect(received().length).toBe(sentBefore);
      await endButton.click();
      await confirm.getByRole('button', { name: 'Yes, end the conversation' }).click();
      await page.getByText('This conversation has ended, so it is no longer in the queue.').waitFor({ timeout: TIMEOUT });

      // After the end, the transcript can still be downloaded, now with the time it ended.
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download transcript' }).click()]);
      expect(download.suggestedFilename()).toBe(`transcript-${reference}.txt`);
      const saved = readFileSync((await download.path()) as string, 'utf8');
      expect(saved).toContain(`Reference: ${reference}`);
      expect(saved).toMatch(/\nEnded: \d+ \w+ \d{4}, \d\d:\d\d:\d\d\n/);
      expect(saved).toContain('Hi, I am Alice, a call handler.');
      await page.getByText('Transcript downloaded, with its reference and times.').waitFor({ timeout: TIMEOUT });
      expect((await started.app.handoff.audit.list(10)).filter((e) => e.action === 'exported').map((e) => e.handler)).toEqual(['alice', 'alice']);
      const ended = await receivedText('The call handler has ended the chat.', savedSent);
      await telegram.waitFor('sendMessage', telegram.calls('sendMessage').length);
      const afterEnd = received().slice(ended);
      expect(afterEnd.some((m) => m.choices.length > 0), JSON.stringify(afterEnd)).toBe(true);

      await page.goto(`${base}/console`);
      await page.getByText('Nobody is waiting right now.').waitFor({ timeout: TIMEOUT });
      expect(watch.problems).toEqual([]);
      await context.close();
    });
  });
});
