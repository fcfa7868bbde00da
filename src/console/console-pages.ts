import { PRIORITY_NAMES, type SavedReply, type TicketView } from '../handoff/handoff-model.js';
import type { ConsoleKey } from './console-strings.js';
import { escapeHtml, jsonForHtml } from './html.js';

/** Looks up a console UI string. */
export type ConsoleText = (key: ConsoleKey) => string;

/** Who is looking at the page. */
export interface PageHandler {
  readonly username: string;
  readonly csrfToken: string;
  /** A supervisor sees the take-over button and the audit log link. */
  readonly supervisor?: boolean;
  /** How long the session has left however busy it is: the page warns 10 minutes before it ends. */
  readonly sessionEndsInSeconds?: number;
}

/** The page's handler with how long their session has left, from when it ends however busy it is. */
export function withSessionEnd(handler: PageHandler & { sessionEndsAt?: number }, now: number): PageHandler {
  const { sessionEndsAt, ...rest } = handler;
  return sessionEndsAt === undefined ? rest : { ...rest, sessionEndsInSeconds: (sessionEndsAt - now) / 1000 };
}

/** Where the pages' static files are served from. */
export const STATIC_PREFIX = '/console/static';

/** What {@link layout} puts around a page's main content. */
export interface LayoutOptions {
  readonly title: string;
  readonly handler: PageHandler;
  readonly text: ConsoleText;
  readonly script?: string;
  readonly main: string;
  /** Data for the page's script, read from a non-executed JSON block. */
  readonly data?: unknown;
}

/**
 * The frame every console page shares: the CSRF token in a meta tag (the
 * scripts send it as `x-csrf-token`), a sign-out form that also works without
 * scripts, the audit log link for supervisors, one `<main>`, a skip link,
 * and no inline script or style.
 */
export function layout({ title, handler, text, script, main, data }: LayoutOptions): string {
  const e = escapeHtml;
  return `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csrf-token" content="${e(handler.csrfToken)}">
${handler.sessionEndsInSeconds === undefined ? '' : `<meta name="session-ends-in" content="${Math.max(0, Math.floor(handler.sessionEndsInSeconds))}">\n`}
<title>${e(title)} – ${e(text('console.title'))}</title>
<link rel="stylesheet" href="${STATIC_PREFIX}/console.css">
<link rel="icon" href="${STATIC_PREFIX}/favicon.svg" type="image/svg+xml">
${script ? `<script type="module" src="${STATIC_PREFIX}/${script}"></script>` : ''}
</head>
<body>
<a class="skip" href="#main">${e(text('console.skip'))}</a>
<header class="top">
<p class="brand"><a href="/console"><span class="force">${e(text('console.brand'))}</span> · ${e(text('console.title'))}</a></p>
${handler.supervisor ? `<p class="nav"><a href="/console/audit">${e(text('console.audit.title'))}</a></p>\n` : ''}<p class="who">${e(text('console.signedInAs'))} <strong id="me">${e(handler.username)}</strong></p>
<form class="sign-out" method="post" action="/console/logout" data-sign-out>
<input type="hidden" name="_csrf" value="${e(handler.csrfToken)}">
<button type="submit">${e(text('console.signOut'))}</button>
</form>
</header>
<main id="main" tabindex="-1">
${main}
</main>
${data === undefined ? '' : `<script type="application/json" id="console-data">${jsonForHtml(data)}</script>`}
</body>
</html>
`;
}

/** The UI strings the scripts need, keyed without the `console.` prefix. */
export function clientStrings(keys: readonly ConsoleKey[], text: ConsoleText): Record<string, string> {
  return Object.fromEntries(keys.map((k) => [k.slice('console.'.length), text(k)]));
}

/**
 * The new-arrivals banner (hidden until someone in crisis or danger is
 * waiting; its script fills it) and the switch for sound and notifications,
 * on every page with live updates.
 */
function arrivalsMarkup(text: ConsoleText): string {
  const e = escapeHtml;
  return `<section id="arrivals" class="arrivals" role="alert" aria-labelledby="arrivals-title" hidden>
<h2 id="arrivals-title">${e(text('console.arrivals.title'))}</h2>
<ul id="arrivals-list"></ul>
<button type="button" id="arrivals-dismiss">${e(text('console.arrivals.dismiss'))}</button>
</section>
<div class="alert-setting">
<input type="checkbox" role="switch" id="alert-switch" aria-describedby="alert-switch-hint">
<label for="alert-switch">${e(text('console.arrivals.switch'))}</label>
<p id="alert-switch-hint" class="hint">${e(text('console.arrivals.switchHint'))}</p>
<p id="alert-blocked" class="hint" hidden>${e(text('console.arrivals.blocked'))}</p>
</div>`;
}

/** The queue page: a live list of everyone waiting or being helped, most urgent first. */
export function renderQueuePage({ handler, text, strings }: { handler: PageHandler; text: ConsoleText; strings: Record<string, string> }): string {
  const e = escapeHtml;
  const title = text('console.queue.title');
  return layout({
    title,
    handler,
    text,
    script: 'queue.js',
    data: { me: handler.username, strings, priorities: PRIORITY_NAMES },
    main: `${arrivalsMarkup(text)}
<h1>${e(title)}</h1>
<p id="live-status" class="live-status" role="status">${e(text('console.live.lost'))}</p>
<section aria-labelledby="waiting-heading">
<h2 id="waiting-heading">${e(text('console.queue.waiting'))} <span id="waiting-count"></span></h2>
<ul id="queue" class="queue" aria-live="polite" aria-labelledby="waiting-heading"></ul>
<p id="queue-empty" class="empty" hidden>${e(text('console.queue.empty'))}</p>
</section>
<section aria-labelledby="claimed-heading">
<h2 id="claimed-heading">${e(text('console.queue.withHandlers'))} <span id="claimed-count"></span></h2>
<ul id="claimed" class="queue" aria-labelledby="claimed-heading"></ul>
<p id="claimed-empty" class="empty" hidden>${e(text('console.queue.noneWithHandlers'))}</p>
</section>`,
  });
}

/** One conversation: details, transcript, reply with saved replies, note, and the actions. */
export function renderTicketPage({
  handler,
  text,
  strings,
  ticket,
  savedReplies,
}: {
  handler: PageHandler;
  text: ConsoleText;
  strings: Record<string, string>;
  ticket: TicketView;
  savedReplies: readonly SavedReply[];
}): string {
  const e = escapeHtml;
  const title = text('console.ticket.title');
  const options = savedReplies.map((r) => `<option value="${e(r.id)}">${e(r.label)}</option>`).join('');
  return layout({
    title,
    handler,
    text,
    script: 'ticket.js',
    data: { me: handler.username, strings, priorities: PRIORITY_NAMES, ticket, savedReplies },
    main: `${arrivalsMarkup(text)}
<p><a href="/console">${e(text('console.ticket.back'))}</a></p>
<h1>${e(title)}</h1>
<p id="live-status" class="live-status" role="status">${e(text('console.live.lost'))}</p>
<p id="alert" class="alert" hidden></p>
<p id="result" class="result" role="status" aria-live="polite"></p>
<div class="ticket-layout">
<section class="panel details" aria-labelledby="details-heading">
<h2 id="details-heading">${e(text('console.ticket.details'))}</h2>
<dl id="details"></dl>
</section>
<section class="panel actions" aria-labelledby="actions-heading">
<h2 id="actions-heading">${e(text('console.ticket.actions'))}</h2>
<div class="buttons">
<button type="button" id="claim">${e(text('console.ticket.claim'))}</button>
<button type="button" id="transfer">${e(text('console.ticket.transfer'))}</button>
<button type="button" id="end" class="danger-button">${e(text('console.ticket.end'))}</button>
${handler.supervisor ? `<button type="button" id="take-over">${e(text('console.ticket.takeOver'))}</button>\n` : ''}</div>
<h3>${e(text('console.ticket.records'))}</h3>
<p class="reference">${e(text('console.ticket.reference'))}: <strong id="reference">${e(ticket.reference)}</strong></p>
<div class="buttons">
<button type="button" id="copy" class="secondary">${e(text('console.ticket.copy'))}</button>
<button type="button" id="download" class="secondary">${e(text('console.ticket.download'))}</button>
</div>
</section>
<section class="panel summary" aria-labelledby="summary-heading">
<h2 id="summary-heading">${e(text('console.summary.title'))}</h2>
<dl id="summary"></dl>
<h3>${e(text('console.summary.advice'))}</h3>
<ul id="advice" class="advice"></ul>
<p id="advice-none" class="empty">${e(text('console.summary.noAdvice'))}</p>
<h3>${e(text('console.summary.flagged'))}</h3>
<ol id="flagged" class="flagged-list"></ol>
<p id="flagged-none" class="empty">${e(text('console.summary.noneFlagged'))}</p>
</section>
<dialog id="end-dialog" class="confirm" aria-labelledby="end-dialog-title" aria-describedby="end-dialog-text">
<h2 id="end-dialog-title">${e(text('console.confirmEnd.title'))}</h2>
<p id="end-dialog-text">${e(text('console.confirmEnd.text'))}</p>
<form method="dialog" class="buttons">
<button type="submit" value="end" id="end-confirm" class="danger-button">${e(text('console.confirmEnd.confirm'))}</button>
<button type="submit" value="cancel" id="end-cancel" autofocus>${e(text('console.confirmEnd.cancel'))}</button>
</form>
</dialog>
<section class="panel conversation" aria-labelledby="transcript-heading">
<h2 id="transcript-heading">${e(text('console.ticket.transcript'))}</h2>
<ol id="transcript" class="transcript" tabindex="0" aria-live="polite" aria-labelledby="transcript-heading"></ol>
<p id="transcript-empty" class="empty" hidden>${e(text('console.ticket.transcriptEmpty'))}</p>
</section>
<section class="panel compose" aria-labelledby="reply-heading">
<h2 id="reply-heading">${e(text('console.ticket.reply'))}</h2>
<form id="reply-form">
<div class="saved">
<label for="saved-reply">${e(text('console.ticket.savedReplies'))}</label>
<select id="saved-reply">${options}</select>
<button type="button" id="insert">${e(text('console.ticket.insert'))}</button>
</div>
<label for="reply-text">${e(text('console.ticket.reply'))}</label>
<textarea id="reply-text" name="text" rows="5" maxlength="2000" required></textarea>
<button type="submit" id="send">${e(text('console.ticket.send'))}</button>
</form>
<form id="note-form">
<label for="note-text">${e(text('console.ticket.note'))}</label>
<textarea id="note-text" name="note" rows="3" maxlength="2000" required></textarea>
<button type="submit" id="add-note">${e(text('console.ticket.addNote'))}</button>
</form>
</section>
</div>`,
  });
}

/** A page that only says one thing, with the way back to the queue. */
function noticePage({ handler, text, title, message }: { handler: PageHandler; text: ConsoleText; title: string; message: string }): string {
  const e = escapeHtml;
  return layout({
    title,
    handler,
    text,
    script: 'common.js',
    main: `<h1>${e(title)}</h1>
<p class="result">${e(message)}</p>
<p><a href="/console">${e(text('console.ticket.back'))}</a></p>`,
  });
}

/** A page only supervisors may see, asked for by someone else (403): said plainly, with the way back. */
export function renderForbiddenPage({ handler, text }: { handler: PageHandler; text: ConsoleText }): string {
  return noticePage({ handler, text, title: text('console.forbidden.title'), message: text('console.result.forbidden') });
}

/** A ticket that has ended or never existed: said plainly, with the way back. */
export function renderGonePage({ handler, text }: { handler: PageHandler; text: ConsoleText }): string {
  return noticePage({ handler, text, title: text('console.ticket.title'), message: text('console.ticket.gone') });
}
