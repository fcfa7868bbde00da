import type { FastifyReply } from 'fastify';
import type { ConsoleEvent, ConsoleEvents } from '../handoff/handoff-model.js';
import type { LiveSession } from './auth/console-auth.js';

/** What one stream carries besides queue changes: the transcript of the ticket the page has open, if any. */
export interface StreamFilter {
  readonly ticketId?: string;
}

/** How the console's open event streams are tracked, so they end with their session and with the server. */
export interface EventStreams {
  /**
   * Starts streaming console events to one browser, unless the session
   * already has its most streams open: then resolves false and sends
   * nothing. `prepare` runs once the place is taken and before anything is
   * sent (to audit the view), and says what to stream; if it throws, the
   * place is given back.
   */
  open(reply: FastifyReply, session: LiveSession, prepare: () => Promise<StreamFilter>): Promise<boolean>;
  /** Ends every open stream (server shutting down); browsers reconnect to another instance. */
  closeAll(): void;
  /** How many browsers are connected (for tests). */
  readonly size: number;
}

/** Options of {@link createEventStreams}. */
export interface EventStreamsOptions {
  /** Interval of the keep-alive comment, and of the check that the session still lives (default 15 s). */
  readonly heartbeatMs?: number;
  /** Streams one session may have open on this instance (default 4: a few tabs, not hundreds). */
  readonly maxPerSession?: number;
}

/** Formats one server-sent event. `data` is JSON on a single line, so it cannot inject fields. */
function sse(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** Whether `event` ends the streams of `session`. */
function endsSession(event: ConsoleEvent, session: LiveSession): boolean {
  return (
    (event.type === 'session-ended' && event.sessionHash === session.hash) ||
    (event.type === 'handler-sessions-ended' && event.username === session.username)
  );
}

/**
 * Server-sent events for the console: `queue` when the queue changed (the
 * page re-reads it) and `transcript` with the new entry, only for the ticket
 * the page has open. A stream lives no longer than its session: it ends at
 * once when a session-ended event for it arrives (sign-out, password reset
 * or removal, on any instance), and each heartbeat re-checks the session
 * without touching it, which catches time-outs and revocations made where no
 * event could be sent. A comment line every `heartbeatMs` also keeps proxies
 * from closing an idle stream; the subscription ends with the connection.
 */
export function createEventStreams(events: ConsoleEvents, { heartbeatMs = 15_000, maxPerSession = 4 }: EventStreamsOptions = {}): EventStreams {
  const open = new Set<() => void>();
  const perSession = new Map<string, number>();
  const giveBack = (hash: string) => {
    const left = (perSession.get(hash) ?? 1) - 1;
    if (left > 0) perSession.set(hash, left);
    else perSession.delete(hash);
  };

  return {
    async open(reply, session, prepare) {
      const taken = perSession.get(session.hash) ?? 0;
      if (taken >= maxPerSession) return false;
      perSession.set(session.hash, taken + 1);
      let filter: StreamFilter;
      try {
        filter = await prepare();
      } catch (error) {
        giveBack(session.hash);
        throw error;
      }
      const res = reply.raw;
      reply.hijack();
      if (res.destroyed) {
        // The browser went away while the stream was being prepared.
        giveBack(session.hash);
        return true;
      }
      // The console's security headers are already on the raw response (see registerConsoleHeaders).
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write('retry: 3000\n: connected\n\n');

      const unsubscribe = events.subscribe((event: ConsoleEvent) => {
        if (endsSession(event, session)) end();
        else if (event.type === 'queue-changed') res.write(sse('queue', {}));
        else if (event.type === 'transcript' && event.ticketId === filter.ticketId) res.write(sse('transcript', event.entry));
      });
      let checking = false;
      const heartbeat = setInterval(() => {
        if (checking) return;
        checking = true;
        session.alive().then(
          (alive) => {
            checking = false;
            if (alive) res.write(': heartbeat\n\n');
            else end();
          },
          // The session store cannot say: fail closed; the browser reconnects through the sign-in check.
          () => end(),
        );
      }, heartbeatMs);
      heartbeat.unref();

      let ended = false;
      const cleanUp = () => {
        if (ended) return;
        ended = true;
        clearInterval(heartbeat);
        unsubscribe();
        open.delete(end);
        giveBack(session.hash);
      };
      const end = () => {
        cleanUp();
        res.end();
      };
      open.add(end);
      res.once('close', cleanUp);
      res.once('error', cleanUp);
      return true;
    },
    closeAll() {
      for (const end of [...open]) end();
    },
    get size() {
      return open.size;
    },
  };
}
