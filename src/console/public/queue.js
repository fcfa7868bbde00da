/* global document, setInterval */
/**
 * The queue page: lists everyone waiting or being helped, most urgent first,
 * and refreshes itself when the server says the queue changed (and every 30
 * seconds for the wait times). Each item is a real link, so it works by
 * keyboard and with a screen reader.
 */
import { watchArrivals } from './arrivals.js';
import { queueSummary } from './summary.js';
import { api, channelText, connectEvents, el, flagList, formatWait, priorityName, reasonText, statusText, t, timeLeftText } from './common.js';

const list = document.getElementById('queue');
const empty = document.getElementById('queue-empty');
const count = document.getElementById('queue-count');
const arrivals = watchArrivals();

function item(ticket) {
  const priority = priorityName(ticket.priority);
  const li = el('li', { className: `ticket priority-${priority.name}` });
  li.dataset.ticketId = ticket.id;

  const heading = el('h2', { className: 'ticket-heading' });
  const link = el('a', { text: `${priority.text} – ${reasonText(ticket.reason)} – ${channelText(ticket)}` });
  link.href = `/console/tickets/${encodeURIComponent(ticket.id)}`;
  heading.append(link);
  li.append(heading);

  const flags = flagList(ticket.flags);
  if (flags.length > 0) {
    const ul = el('ul', { className: 'flags' });
    ul.setAttribute('aria-label', t('ticket.flags'));
    for (const flag of flags) ul.append(el('li', { className: `flag flag-${flag.key}`, text: flag.text }));
    li.append(ul);
  }
  const left = timeLeftText(ticket);
  const meta = [`${t('ticket.wait')} ${formatWait(ticket.waitingSeconds)}`, ...(left ? [left] : []), statusText(ticket)];
  li.append(el('p', { className: 'meta', text: meta.join(' · ') }));
  li.append(el('p', { className: 'answers', text: queueSummary(ticket.answers) }));
  return li;
}

function render(tickets) {
  list.replaceChildren(...tickets.map(item));
  empty.hidden = tickets.length > 0;
  count.textContent = `${t('queue.count')} ${tickets.length}`;
}

async function refresh() {
  const result = await api('/console/api/queue');
  if (result.status !== 200 || !Array.isArray(result.body)) return;
  render(result.body);
  arrivals(result.body);
}

connectEvents('/console/api/events', { queue: () => void refresh() }, () => void refresh());
setInterval(() => void refresh(), 30_000);
void refresh();
