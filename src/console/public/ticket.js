/* global document, navigator, URL, Blob, setTimeout */
/**
 * One conversation: its details, the live transcript, the reply box with
 * saved replies, the internal note, and Claim / Transfer back / End (and,
 * for supervisors, Take over). Buttons are enabled only when they can work
 * (claim a waiting ticket; reply, transfer and end only your own; take over
 * one another handler has), and the server checks again. If a supervisor
 * takes the conversation over, the page says so and stops offering replies.
 */
import { watchArrivals } from './arrivals.js';
import { adviceGiven, summaryRows } from './summary.js';
import { api, channelText, connectEvents, data, el, flagList, formatTime, formatWait, priorityName, reasonText, statusText, t, timeLeft } from './common.js';

const ticketId = data.ticket?.id ?? '';
const base = `/console/api/tickets/${encodeURIComponent(ticketId)}`;
let ticket = data.ticket;
/** Ended (or no longer anywhere): only reading and exporting are left. */
let gone = data.ticket?.endedAt !== undefined;
/** Transcript entries shown, oldest first; keyed so a refetch and a live event never show one twice. */
const entries = [];
const seen = new Set();

const $ = (id) => document.getElementById(id);
const result = $('result');
const alertBox = $('alert');
const replyText = $('reply-text');
const noteText = $('note-text');
const savedSelect = $('saved-reply');
const buttons = { claim: $('claim'), transfer: $('transfer'), end: $('end'), send: $('send'), insert: $('insert'), addNote: $('add-note') };
/** Only on a supervisor's page. */
const takeOver = $('take-over');
const arrivals = watchArrivals({ currentTicketId: ticketId });

function say(message) {
  result.textContent = message;
}

function definition(list, term, value) {
  list.append(el('dt', { text: term }), el('dd', { text: value }));
}

function renderDetails() {
  const details = $('details');
  if (!ticket) return;
  const flags = flagList(ticket.flags);
  const urgent = flags.filter((f) => f.key === 'crisis' || f.key === 'danger');
  alertBox.hidden = urgent.length === 0;
  alertBox.textContent = urgent.map((f) => f.text).join(' · ');

  details.replaceChildren();
  definition(details, t('ticket.reference'), ticket.reference);
  definition(details, t('ticket.priority'), priorityName(ticket.priority).text);
  definition(details, t('ticket.reason'), reasonText(ticket.reason));
  definition(details, t('ticket.flags'), flags.length > 0 ? flags.map((f) => f.text).join(', ') : t('flag.none'));
  definition(details, t('ticket.channel'), channelText(ticket));
  definition(details, t('ticket.wait'), formatWait(ticket.waitingSeconds));
  const left = timeLeft(ticket);
  if (!gone && left !== undefined) definition(details, t('ticket.timeLeft'), left);
  if (ticket.endedAt !== undefined) definition(details, t('ticket.ended'), formatTime(ticket.endedAt));
  definition(details, t('ticket.status'), gone ? t('result.gone') : statusText(ticket));

  renderSummary();
}

/** The risk summary pinned above the transcript: what they told, the advice given, and the messages that raised a flag. */
function renderSummary() {
  const summary = $('summary');
  summary.replaceChildren();
  for (const [label, value] of summaryRows(ticket.answers)) definition(summary, label, value);
  const advice = adviceGiven(ticket.answers.stepsSeen);
  $('advice').replaceChildren(...advice.map((text) => el('li', { text })));
  $('advice-none').hidden = advice.length > 0;
  const flagged = entries.filter((entry) => entry.flag);
  $('flagged').replaceChildren(
    ...flagged.map((entry) => {
      const li = el('li', { className: `flagged flag-line-${entry.flag}` });
      const head = el('p', { className: 'entry-head' });
      head.append(el('span', { className: `flag flag-${entry.flag}`, text: t(`flag.${entry.flag}`) }), ' ', el('time', { text: formatTime(entry.at) }));
      li.append(head, entryText(entry));
      return li;
    }),
  );
  $('flagged-none').hidden = flagged.length > 0;
}

function renderButtons() {
  const mine = !gone && ticket?.status === 'claimed' && ticket.claimedBy === data.me;
  buttons.claim.disabled = gone || ticket?.status !== 'queued';
  for (const b of [buttons.transfer, buttons.end, buttons.send, buttons.insert]) b.disabled = !mine;
  replyText.disabled = !mine;
  savedSelect.disabled = !mine;
  buttons.addNote.disabled = gone;
  noteText.disabled = gone;
  if (takeOver) takeOver.disabled = gone || ticket?.status !== 'claimed' || ticket.claimedBy === data.me;
}

const isMine = (view) => view?.status === 'claimed' && view.claimedBy === data.me;
/** Set while this handler transfers the ticket back themselves, so that is not reported as lost. */
let handingBack = false;

/**
 * Shows a newer view of the ticket. If it was ours and is not any more
 * without our doing, says why: a supervisor took it over, or it went back to
 * the queue (no reply for too long, or the session ended).
 */
function update(view) {
  const wasMine = isMine(ticket);
  ticket = view;
  renderDetails();
  renderButtons();
  if (!wasMine || isMine(view) || handingBack) return;
  say(t(view.status === 'claimed' ? 'result.takenOver' : 'result.released'));
}

function appendEntries(list) {
  let added = false;
  for (const entry of list) {
    const key = `${entry.at}|${entry.from}|${entry.handler ?? ''}|${entry.text}`;
    if (seen.has(key)) continue;
    seen.add(key);
    entries.push(entry);
    added = true;
  }
  if (!added) return;
  entries.sort((x, y) => x.at - y.at);
  const transcript = $('transcript');
  transcript.replaceChildren(
    ...entries.map((entry) => {
      const li = el('li', { className: `entry from-${entry.from}${entry.flag ? ' flagged' : ''}` });
      const who = entry.handler && (entry.from === 'handler' || entry.from === 'note') ? `${t(`from.${entry.from}`)} (${entry.handler})` : t(`from.${entry.from}`);
      const head = el('p', { className: 'entry-head' });
      head.append(el('span', { className: 'who', text: who }), ' ', el('time', { text: formatTime(entry.at) }));
      li.append(head, entryText(entry));
      return li;
    }),
  );
  $('transcript-empty').hidden = entries.length > 0;
  if (ticket) renderSummary();
  // The newest message is what matters: keep it in view.
  transcript.scrollTop = transcript.scrollHeight;
}

/** A line's words; a pressed button as the label the person saw, marked as a button. */
function entryText(entry) {
  const text = el('p', { className: 'entry-text' });
  if (entry.pressed) text.append(`${t('transcript.pressed')} `, el('span', { className: 'pressed', text: entry.text }));
  else text.textContent = entry.text;
  return text;
}

function markGone() {
  gone = true;
  say(t('ticket.gone'));
  renderDetails();
  renderButtons();
}

/** Re-reads the ticket and its transcript (audited as a view). */
async function reload() {
  const response = await api(base, { background: true });
  if (response.status === 404) return markGone();
  if (response.status !== 200 || !response.body) return;
  update(response.body.ticket);
  appendEntries(response.body.transcript);
}

/** Re-reads only the ticket's place in the queue (not a view of the conversation). */
async function refreshStatus() {
  const response = await api('/console/api/queue', { background: true });
  if (response.status !== 200 || !Array.isArray(response.body)) return;
  arrivals(response.body);
  const found = response.body.find((item) => item.id === ticketId);
  if (!found) return markGone();
  update(found);
}

const MESSAGES = {
  ok: 'result.ok',
  taken: 'result.taken',
  'not-yours': 'result.notYours',
  gone: 'result.gone',
  invalid: 'result.invalid',
  forbidden: 'result.forbidden',
};

async function act(path, body) {
  const response = await api(`${base}/${path}`, { method: 'POST', ...(body !== undefined && { body }) });
  const outcome = response.body?.result;
  say(t(MESSAGES[outcome] ?? 'result.failed'));
  if (outcome === 'gone') markGone();
  return outcome;
}

buttons.claim.addEventListener('click', async () => {
  const outcome = await act('claim');
  await refreshStatus();
  // Claimed: the next thing to do is to write to them.
  if (outcome === 'ok' && !replyText.disabled) replyText.focus();
});
buttons.transfer.addEventListener('click', async () => {
  handingBack = true;
  try {
    await act('transfer');
    await refreshStatus();
  } finally {
    handingBack = false;
  }
});
takeOver?.addEventListener('click', async () => {
  await act('take-over');
  await refreshStatus();
});
/** Ending is asked once more in a dialog, which opens on "No, keep talking"; only "Yes" ends it. */
const endDialog = $('end-dialog');
buttons.end.addEventListener('click', () => endDialog.showModal());
endDialog.addEventListener('close', async () => {
  if (endDialog.returnValue !== 'end') {
    buttons.end.focus();
    return;
  }
  endDialog.returnValue = '';
  if ((await act('end')) === 'ok') markGone();
});
/** The transcript for the force's records (audited), or a message saying why it cannot be had. */
async function exported() {
  const response = await api(`${base}/export`, { method: 'POST' });
  if (response.status === 200 && response.body?.result === 'ok') return response.body;
  say(t(response.status === 404 ? 'result.exportGone' : 'result.failed'));
  return undefined;
}
$('copy').addEventListener('click', async () => {
  const record = await exported();
  if (!record) return;
  try {
    await navigator.clipboard.writeText(record.text);
    say(t('result.copied'));
  } catch {
    say(t('result.failed'));
  }
});
$('download').addEventListener('click', async () => {
  const record = await exported();
  if (!record) return;
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([record.text], { type: 'text/plain;charset=utf-8' }));
  link.download = record.fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  say(t('result.downloaded'));
});
buttons.insert.addEventListener('click', () => {
  const reply = (data.savedReplies ?? []).find((r) => r.id === savedSelect.value);
  if (!reply) return;
  const current = replyText.value.trim();
  replyText.value = current ? `${current}\n\n${reply.text}` : reply.text;
  replyText.focus();
});
$('reply-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  if ((await act('reply', { text: replyText.value })) === 'ok') replyText.value = '';
});
$('note-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  // The note comes back through the live stream, like a reply.
  if ((await act('note', { text: noteText.value })) === 'ok') noteText.value = '';
});

renderDetails();
renderButtons();
$('transcript-empty').hidden = false;
connectEvents(
  `/console/api/events?ticket=${encodeURIComponent(ticketId)}`,
  {
    queue: () => void refreshStatus(),
    transcript: (entry) => appendEntries([entry]),
  },
  () => {
    void reload();
    void refreshStatus();
  },
);
