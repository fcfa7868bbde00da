/* global document, window, localStorage, sessionStorage, Notification, AudioContext */
/**
 * New arrivals, for a handler whose eyes are elsewhere: the page title
 * counts the people waiting ("(3) People waiting"); a banner that cannot be
 * missed (an ARIA alert, in words and colour) names every person in crisis
 * or danger still waiting until the handler says they have seen it; and, if
 * the handler turns it on, a sound and a browser notification for each new
 * one. The switch is off until turned on and remembered in this browser.
 * What has been seen and announced is kept for the browser session, so
 * moving between pages neither repeats the sound nor hides the banner.
 * Nothing a person wrote is ever put in a notification.
 */
import { el, flagList, formatWait, reasonText, channelText, t } from './common.js';

const SWITCH_KEY = 'ssb.console.urgentAlerts';
const SEEN_KEY = 'ssb.console.urgentSeen';
const ANNOUNCED_KEY = 'ssb.console.urgentAnnounced';

function readSet(key) {
  try {
    return new Set(JSON.parse(sessionStorage.getItem(key) ?? '[]'));
  } catch {
    return new Set();
  }
}

function writeSet(key, set) {
  // Only ids still in the queue are kept, so the set cannot grow over a shift.
  sessionStorage.setItem(key, JSON.stringify([...set]));
}

/** What makes a ticket urgent, as a key: a ticket that becomes more urgent (danger after crisis) is new again. */
function urgentKey(ticket) {
  if (ticket.status !== 'queued' || !(ticket.flags.crisis || ticket.flags.danger)) return undefined;
  return `${ticket.id}:${ticket.flags.crisis ? 'c' : ''}${ticket.flags.danger ? 'd' : ''}`;
}

/** A short beep pattern from the page itself (no sound file, nothing fetched). */
function beep(context) {
  for (const [offset, frequency] of [
    [0, 880],
    [0.25, 660],
    [0.5, 880],
  ]) {
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    oscillator.frequency.value = frequency;
    gain.gain.value = 0.2;
    oscillator.connect(gain).connect(context.destination);
    oscillator.start(context.currentTime + offset);
    oscillator.stop(context.currentTime + offset + 0.18);
  }
}

/**
 * Wires the banner and the switch on this page. `currentTicketId` is the
 * conversation open on this page (no banner for the one being read). Returns
 * `update(tickets)`, to call with every fresh read of the queue.
 */
export function watchArrivals({ currentTicketId } = {}) {
  const banner = document.getElementById('arrivals');
  const list = document.getElementById('arrivals-list');
  const dismiss = document.getElementById('arrivals-dismiss');
  const toggle = document.getElementById('alert-switch');
  const blocked = document.getElementById('alert-blocked');
  const baseTitle = document.title;
  let audio;

  const enabled = () => localStorage.getItem(SWITCH_KEY) === 'on';
  const showBlocked = () => {
    if (blocked) blocked.hidden = !(enabled() && 'Notification' in window && Notification.permission === 'denied');
  };
  /** Sound needs a gesture in most browsers: the context is made (or woken) on the handler's first click or key on the page. */
  const wakeAudio = () => {
    if (!enabled() || typeof AudioContext === 'undefined') return;
    audio ??= new AudioContext();
    if (audio.state === 'suspended') void audio.resume();
  };
  if (toggle) {
    toggle.checked = enabled();
    toggle.addEventListener('change', () => {
      localStorage.setItem(SWITCH_KEY, toggle.checked ? 'on' : 'off');
      if (toggle.checked) {
        wakeAudio();
        if ('Notification' in window && Notification.permission === 'default') void Notification.requestPermission().then(showBlocked);
      }
      showBlocked();
    });
  }
  showBlocked();
  for (const type of ['pointerdown', 'keydown']) document.addEventListener(type, wakeAudio, { capture: true });

  let shown = [];
  dismiss?.addEventListener('click', () => {
    const seen = readSet(SEEN_KEY);
    for (const key of shown) seen.add(key);
    writeSet(SEEN_KEY, seen);
    banner.hidden = true;
    shown = [];
  });

  function announce(ticket) {
    if (!enabled()) return;
    wakeAudio();
    if (audio && audio.state === 'running') beep(audio);
    if ('Notification' in window && Notification.permission === 'granted') {
      const words = flagList(ticket.flags).filter((f) => f.key === 'crisis' || f.key === 'danger').map((f) => f.text);
      const notification = new Notification(t('arrivals.notification'), {
        body: `${words.join(' · ')} – ${reasonText(ticket.reason)} – ${channelText(ticket)}`,
        tag: `ssb-${ticket.id}`,
        requireInteraction: true,
      });
      notification.addEventListener('click', () => {
        window.focus();
        window.location.assign(`/console/tickets/${encodeURIComponent(ticket.id)}`);
      });
    }
  }

  return function update(tickets) {
    const waiting = tickets.filter((ticket) => ticket.status === 'queued').length;
    document.title = waiting > 0 ? `(${waiting}) ${baseTitle}` : baseTitle;

    const urgent = tickets.map((ticket) => [urgentKey(ticket), ticket]).filter(([key]) => key !== undefined);
    const live = new Set(urgent.map(([key]) => key));
    const seen = new Set([...readSet(SEEN_KEY)].filter((key) => live.has(key)));
    const announced = new Set([...readSet(ANNOUNCED_KEY)].filter((key) => live.has(key)));
    for (const [key, ticket] of urgent) {
      if (announced.has(key)) continue;
      announced.add(key);
      announce(ticket);
    }
    writeSet(ANNOUNCED_KEY, announced);
    writeSet(SEEN_KEY, seen);

    if (!banner || !list) return;
    const unseen = urgent.filter(([key, ticket]) => !seen.has(key) && ticket.id !== currentTicketId);
    shown = unseen.map(([key]) => key);
    list.replaceChildren(
      ...unseen.map(([key, ticket]) => {
        const li = el('li');
        const words = flagList(ticket.flags).filter((f) => f.key === 'crisis' || f.key === 'danger').map((f) => f.text);
        const link = el('a', { text: `${words.join(' · ')} – ${reasonText(ticket.reason)} – ${channelText(ticket)}` });
        link.href = `/console/tickets/${encodeURIComponent(ticket.id)}`;
        link.addEventListener('click', () => writeSet(SEEN_KEY, new Set([...readSet(SEEN_KEY), key])));
        li.append(link, ` – ${t('ticket.wait')} ${formatWait(ticket.waitingSeconds)}`);
        return li;
      }),
    );
    banner.hidden = unseen.length === 0;
  };
}
