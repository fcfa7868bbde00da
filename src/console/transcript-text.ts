import type { TranscriptEntry, TranscriptExport } from '../handoff/handoff-model.js';
import type { ConsoleText } from './console-pages.js';

/** Dates and times as the control room and its incident log read them: UK time, to the second. */
const UK_TIME = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'Europe/London' });

/** Who wrote a line, in words, as the console shows it. */
function author(entry: TranscriptEntry, text: ConsoleText): string {
  const who = text(`console.from.${entry.from}` as Parameters<ConsoleText>[0]);
  if (entry.from === 'note') return `${who} (${entry.handler ?? ''}, ${text('console.export.notSent')})`;
  if (entry.from === 'handler' && entry.handler) return `${who} (${entry.handler})`;
  return who;
}

/** The platform's name as the console shows it ("Messenger", "Telegram"), or its own id for another. */
function platformName(platform: string, text: ConsoleText): string {
  const key = `console.channel.${platform}`;
  const name = text(key as Parameters<ConsoleText>[0]);
  return name && name !== key ? name : platform;
}

/**
 * A transcript as plain text for the force's records: a header with the
 * force, the ticket's reference, the platform, when the person joined the
 * queue and when it ended (or that it is still open), who exported it and
 * when, then every line with its date and time and who wrote it. Pressed
 * buttons read as their labels; notes are marked as never sent.
 */
export function transcriptText(exported: TranscriptExport, { text, forceName }: { text: ConsoleText; forceName: string }): string {
  const { ticket, entries } = exported;
  const when = (at: number) => UK_TIME.format(new Date(at));
  const header = [
    text('console.export.title'),
    `${text('console.export.force')}: ${forceName}`,
    `${text('console.ticket.reference')}: ${ticket.reference}`,
    `${text('console.ticket.channel')}: ${platformName(ticket.platform, text)}`,
    `${text('console.ticket.reason')}: ${text(`console.reason.${ticket.reason === 'child-at-risk' ? 'childAtRisk' : ticket.reason}` as Parameters<ConsoleText>[0])}`,
    `${text('console.export.queued')}: ${when(ticket.queuedAt)}`,
    ticket.endedAt === undefined ? text('console.export.open') : `${text('console.ticket.ended')}: ${when(ticket.endedAt)}`,
    `${text('console.export.exported')}: ${when(exported.exportedAt)} ${text('console.export.by')} ${exported.exportedBy}`,
    text('console.export.ukTime'),
  ];
  const lines = entries.map((entry) => {
    const words = entry.pressed ? `${text('console.transcript.pressed')}: ${entry.text}` : entry.text;
    return `[${when(entry.at)}] ${author(entry, text)}: ${words}`;
  });
  return `${[...header, '', ...lines].join('\n')}\n`;
}

/** The file name a downloaded transcript is saved under: its reference, nothing about the person. */
export function transcriptFileName(reference: string): string {
  return `transcript-${reference}.txt`;
}
