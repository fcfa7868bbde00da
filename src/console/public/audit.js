/* global document, window, URLSearchParams */
/**
 * The audit log page (supervisors only): reads the filters from the address
 * (the form above is a plain GET form), asks the API for a page of entries,
 * newest first, and adds more on "Show older entries". Every value goes into
 * the page as text. Handler names and conversation ids are links that filter
 * the log by them.
 */
import { api, el, formatDateTime, t } from './common.js';

const $ = (id) => document.getElementById(id);
const rows = $('entries');
const empty = $('audit-empty');
const more = $('more');
const result = $('result');

const ACTIONS = {
  'signed-in': 'signedIn',
  'signed-out': 'signedOut',
  viewed: 'viewed',
  claimed: 'claimed',
  replied: 'replied',
  noted: 'noted',
  transferred: 'transferred',
  ended: 'ended',
  released: 'released',
  'taken-over': 'takenOver',
  'audit-read': 'auditRead',
  'timed-out': 'timedOut',
  exported: 'exported',
};
const REASONS = {
  'signed-out': 'signedOut',
  'session-timed-out': 'sessionTimedOut',
  removed: 'removed',
  'password-reset': 'passwordReset',
  idle: 'idle',
};

/** The filters in the address, as the API takes them. */
const filters = new URLSearchParams();
for (const [name, value] of new URLSearchParams(window.location.search)) {
  if (['handler', 'ticket', 'from', 'to'].includes(name) && value !== '') filters.set(name, value);
}
let shown = 0;

/** A link to this page filtered by one value. */
function filterLink(name, value) {
  const link = el('a', { text: value });
  link.href = `/console/audit?${new URLSearchParams({ [name]: value }).toString()}`;
  return link;
}

/** Words for an action; one this page does not know is shown as it is recorded. */
function actionText(action) {
  return ACTIONS[action] ? t(`audit.actions.${ACTIONS[action]}`) : action;
}

function detailsOf(entry) {
  const cell = el('td');
  if (entry.reason) cell.append(REASONS[entry.reason] ? t(`audit.reasons.${REASONS[entry.reason]}`) : entry.reason);
  if (entry.about) {
    if (cell.childNodes.length > 0) cell.append('; ');
    cell.append(`${t(entry.action === 'taken-over' ? 'audit.takenFrom' : 'audit.askedAbout')} `, filterLink('handler', entry.about));
  }
  return cell;
}

function row(entry) {
  const tr = el('tr');
  const time = el('time', { text: formatDateTime(entry.at) });
  time.dateTime = new Date(entry.at).toISOString();
  const when = el('td');
  when.append(time);
  const who = el('td');
  who.append(filterLink('handler', entry.handler));
  const conversation = el('td');
  if (entry.ticketId) conversation.append(filterLink('ticket', entry.ticketId));
  tr.append(when, who, el('td', { text: actionText(entry.action) }), conversation, detailsOf(entry));
  return tr;
}

/** Reads one page (after the cursor, if given) and adds it to the table. */
async function load(after) {
  const query = new URLSearchParams(filters);
  if (after) query.set('after', after);
  more.disabled = true;
  const response = await api(`/console/api/audit?${query.toString()}`);
  more.disabled = false;
  if (response.status === 400) {
    result.textContent = t('audit.invalid');
    more.hidden = true;
    return;
  }
  if (response.status !== 200 || !response.body) {
    result.textContent = t(response.status === 403 ? 'result.forbidden' : 'result.failed');
    return;
  }
  const { entries, next } = response.body;
  rows.append(...entries.map(row));
  shown += entries.length;
  empty.hidden = shown > 0;
  result.textContent = `${t('audit.shown')} ${shown}`;
  more.hidden = !next;
  more.dataset.after = next ?? '';
}

more.addEventListener('click', () => void load(more.dataset.after));
void load();
