/* global document, setInterval */
/**
 * The queue page: lists everyone waiting or being helped, most urgent first,
 * and refreshes itself when the server says the queue changed (and every 30
 * seconds for the wait times). Each item is a real link, so it works by
 * keyboard and with a screen reader.
 */
import { watchArrivals } from './arrivals.js';
import { queueSummary } from './summary.js';
import { api, channelText, connectEvents, data, el, flagList, formatWait, priorityName, reasonText, statusText, t, timeLeftText } from './common.js';

const list = document.getElementById('queue');
const empty = document.getElementById('queue-empty');
const claimedList = document.getElementById('claimed');
const claimedEmpty = document.getElementById('claimed-empty');
const arrivals = watchArrivals();

function item(ticket) {
  const priority = priorityName(ticket.priority);
  const li = el('li', { className: `ticket priority-${priority.name}` });
  li.dataset.ticketId = ticket.id;

  const heading = el('h3', { className: 'ticket-heading' });
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

/**
 * Waiting people first, most urgent and oldest first; then everyone a handler
 * has, yours first, each saying whose they are ("With you", "With sam.jones").
 */
function render(tickets) {
  const waiting = tickets.filter((ticket) => ticket.status === 'queued');
  const claimed = tickets.filter((ticket) => ticket.status !== 'queued');
  claimed.sort((a, b) => Number(b.claimedBy === data.me) - Number(a.claimedBy === data.me));
  list.replaceChildren(...waiting.map(item));
  claimedList.replaceChildren(...claimed.map(item));
  empty.hidden = waiting.length > 0;
  claimedEmpty.hidden = claimed.length > 0;
  document.getElementById('waiting-count').textContent = `(${waiting.length})`;
  document.getElementById('claimed-count').textContent = `(${claimed.length})`;
}

async function refresh() {
  const result = await api('/console/api/queue', { background: true });
  if (result.status !== 200 || !Array.isArray(result.body)) return;
  render(result.body);
  arrivals(result.body);
}

connectEvents('/console/api/events', { queue: () => void refresh() }, () => void refresh());
setInterval(() => void refresh(), 30_000);
void refresh();
