/* global document, window, fetch, EventSource, URLSearchParams, setTimeout */
/**
 * Shared by the console pages: the page's data and strings, the JSON API with
 * the CSRF header, sign-out, the live event stream, and small DOM helpers.
 * Text from people is only ever put in the page with textContent.
 */

/** The page's data block (a JSON script element the browser never runs). */
function readData() {
  const element = document.getElementById('console-data');
  if (!element) return {};
  try {
    return JSON.parse(element.textContent ?? '{}');
  } catch {
    return {};
  }
}

export const data = readData();
const strings = data.strings ?? {};

/** A console UI string by its key without the `console.` prefix. */
export function t(key) {
  return strings[key] ?? key;
}

/** The session's CSRF token from the page's meta tag. */
export function csrfToken() {
  return document.querySelector('meta[name="csrf-token"]')?.getAttribute('content') ?? '';
}

const LOGIN = '/console/login';
let leaving = false;

/**
 * Goes to the sign-in page once: several requests can find the session gone at
 * the same moment, and a second navigation would abort the first.
 */
function toSignIn() {
  if (leaving) return;
  leaving = true;
  window.location.assign(LOGIN);
}

/**
 * Calls the console API; a lost session sends the browser to the sign-in
 * page. `background` marks a read the page makes by itself (a refresh, a
 * reconnection), which does not count as the handler's activity.
 */
export async function api(path, { method = 'GET', body, background = false } = {}) {
  const headers = { accept: 'application/json' };
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken();
  if (background && method === 'GET') headers['x-console-background'] = '1';
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  if (response.status === 401) {
    toSignIn();
    return { status: 401, body: undefined };
  }
  let json;
  try {
    json = await response.json();
  } catch {
    json = undefined;
  }
  return { status: response.status, body: json };
}

/** Creates an element with optional class and text (always as text, never markup). */
export function el(tag, { className, text } = {}) {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined) element.textContent = String(text);
  return element;
}

/** "under a minute", "12 min", "1 h 5 min". */
export function formatWait(seconds) {
  if (seconds < 60) return t('time.underMinute');
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} ${t('time.minutes')}`;
  return `${Math.floor(minutes / 60)} ${t('time.hours')} ${minutes % 60} ${t('time.minutes')}`;
}

/**
 * How long a waiting person has before the queue time-out tells them nobody
 * could come ("Times out in 7 min"), or '' for a conversation with a handler.
 */
export function timeLeftText(ticket) {
  const left = timeLeft(ticket);
  if (left === undefined) return '';
  return ticket.timesOutInSeconds <= 0 ? left : `${t('ticket.timeLeft')} ${left}`;
}

/** The time left alone ("7 min", or "Timing out now"); undefined for a conversation with a handler. */
export function timeLeft(ticket) {
  if (ticket.timesOutInSeconds === undefined) return undefined;
  return ticket.timesOutInSeconds <= 0 ? t('ticket.timingOut') : formatWait(ticket.timesOutInSeconds);
}

const clock = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/London' });

/** A time of day in UK time, as the control room reads it. */
export function formatTime(at) {
  return clock.format(new Date(at));
}

const dateAndClock = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'Europe/London' });

/** A date and time in UK time ("10 Mar 2026, 14:05:09"), for records read later. */
export function formatDateTime(at) {
  return dateAndClock.format(new Date(at));
}

/** Flag texts for a ticket: crisis and danger first, in words (never colour alone). */
export function flagList(flags) {
  const out = [];
  if (flags.crisis) out.push({ key: 'crisis', text: t('flag.crisis') });
  if (flags.danger) out.push({ key: 'danger', text: t('flag.danger') });
  if (flags.under18) out.push({ key: 'under18', text: t('flag.under18') });
  if (flags.paid === true) out.push({ key: 'paid', text: t('flag.paid') });
  if (flags.paid === false) out.push({ key: 'not-paid', text: t('flag.notPaid') });
  return out;
}

/** The priority's name ("Urgent", "Under 18", "Standard") and a class for it, from the names the server put in the page. */
export function priorityName(priority) {
  const name = data.priorities?.[priority] ?? 'normal';
  return { name, text: t(`priority.${name}`) };
}

/** The reason a ticket was queued, in words. */
export function reasonText(reason) {
  return t(`reason.${reason === 'child-at-risk' ? 'childAtRisk' : reason}`);
}

/** The platform the person is writing on, as they know it (Messenger, Teams, Web Chat, Telegram, X…). */
export function channelText(ticket) {
  const key = `channel.${ticket.platform}`;
  const name = t(key);
  if (name !== key) return name;
  // Another Bot Framework channel: its own name ("slack" → "Slack").
  return ticket.platform ? ticket.platform.charAt(0).toUpperCase() + ticket.platform.slice(1) : '';
}

/** Who has the ticket, in words. */
export function statusText(ticket) {
  if (ticket.status === 'queued') return t('status.queued');
  if (ticket.claimedBy === data.me) return t('status.mine');
  return `${t('status.other')} ${ticket.claimedBy ?? ''}`.trim();
}

/**
 * Keeps an event stream open: `handlers` per event name, `onOpen` after every
 * (re)connection so the page can catch up on anything missed. A closed stream
 * (e.g. the session expired) is retried after a check that sends a signed-out
 * browser to the sign-in page.
 */
export function connectEvents(url, handlers, onOpen) {
  const status = document.getElementById('live-status');
  const show = (connected) => {
    if (!status) return;
    status.textContent = t(connected ? 'live.connected' : 'live.lost');
    status.classList.toggle('lost', !connected);
  };
  const open = () => {
    const source = new EventSource(url);
    source.addEventListener('open', () => {
      show(true);
      onOpen();
    });
    for (const [name, handle] of Object.entries(handlers)) {
      source.addEventListener(name, (event) => handle(JSON.parse(event.data)));
    }
    source.addEventListener('error', () => {
      show(false);
      if (source.readyState === EventSource.CLOSED) {
        source.close();
        setTimeout(() => {
          void api('/console/api/queue', { background: true }).then((result) => {
            if (result.status !== 401) open();
          });
        }, 3000);
      }
    });
  };
  open();
}

/** Sign-out sends the CSRF token both as the form field and as the header, then goes to the sign-in page. */
function wireSignOut() {
  for (const form of document.querySelectorAll('form[data-sign-out]')) {
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const token = csrfToken();
      void fetch(form.getAttribute('action') ?? '/console/logout', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'x-csrf-token': token, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: token }).toString(),
      }).finally(toSignIn);
    });
  }
}

/** At most one "still working" signal a minute while the handler types, clicks or scrolls on the page. */
const ACTIVITY_EVERY_MS = 60_000;

/**
 * The idle time-out counts what the handler does, not what the page does by
 * itself: the page's own refreshes are marked as background, and the
 * handler's typing, clicks and scrolling (a long reply being written, a
 * transcript being read) are told to the server, at most once a minute.
 */
function watchActivity() {
  let last = 0;
  const seen = () => {
    if (Date.now() - last < ACTIVITY_EVERY_MS) return;
    last = Date.now();
    void api('/console/api/activity', { method: 'POST' });
  };
  for (const type of ['keydown', 'pointerdown', 'wheel']) document.addEventListener(type, seen, { capture: true, passive: true });
}

/** Ten minutes before the session's absolute end (a shift's length), a warning that says when. */
const WARN_BEFORE_S = 600;

function warnBeforeSessionEnds() {
  const seconds = Number(document.querySelector('meta[name="session-ends-in"]')?.getAttribute('content'));
  if (!Number.isFinite(seconds) || t('session.endsAt') === 'session.endsAt') return;
  const endsAt = Date.now() + seconds * 1000;
  const show = () => {
    const main = document.getElementById('main');
    if (!main || document.getElementById('session-warning')) return;
    const warning = el('p', { className: 'session-warning', text: `${t('session.endsAt')} ${formatTime(endsAt)}. ${t('session.finish')}` });
    warning.id = 'session-warning';
    warning.setAttribute('role', 'alert');
    main.prepend(warning);
  };
  setTimeout(show, Math.max(0, (seconds - WARN_BEFORE_S) * 1000));
}

wireSignOut();
watchActivity();
warnBeforeSessionEnds();
