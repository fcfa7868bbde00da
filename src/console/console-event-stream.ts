import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ConsoleEvent, ConsoleEvents } from '../handoff/handoff-model.js';
import { CONSOLE_SECURITY_HEADERS } from './console-headers.js';

/** How the console's open event streams are tracked, so the server can end them when it closes. */
export interface EventStreams {
  /** Starts streaming console events to one browser. */
  open(request: FastifyRequest, reply: FastifyReply, options: { ticketId?: string }): void;
  /** Ends every open stream (server shutting down); browsers reconnect to another instance. */
  closeAll(): void;
  /** How many browsers are connected (for tests). */
  readonly size: number;
}

/** Formats one server-sent event. `data` is JSON on a single line, so it cannot inject fields. */
function sse(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * Server-sent events for the console: `queue` when the queue changed (the
 * page re-reads it) and `transcript` with the new entry, only for the ticket
 * the page has open. A comment line every `heartbeatMs` keeps proxies from
 * closing an idle stream and tells the server when the browser went away;
 * the subscription ends with the connection.
 */
export function createEventStreams(events: ConsoleEvents, { heartbeatMs = 15_000 }: { heartbeatMs?: number } = {}): EventStreams {
  const open = new Set<() => void>();
  return {
    open(_request, reply, { ticketId }) {
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        ...CONSOLE_SECURITY_HEADERS,
        'content-type': 'text/event-stream; charset=utf-8',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write('retry: 3000\n: connected\n\n');

      const unsubscribe = events.subscribe((event: ConsoleEvent) => {
        if (event.type === 'queue-changed') res.write(sse('queue', {}));
        else if (event.type === 'transcript' && event.ticketId === ticketId) res.write(sse('transcript', event.entry));
      });
      const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), heartbeatMs);
      heartbeat.unref();

      let ended = false;
      const cleanUp = () => {
        if (ended) return;
        ended = true;
        clearInterval(heartbeat);
        unsubscribe();
        open.delete(end);
      };
      const end = () => {
        cleanUp();
        res.end();
      };
      open.add(end);
      res.once('close', cleanUp);
      res.once('error', cleanUp);
    },
    closeAll() {
      for (const end of [...open]) end();
    },
    get size() {
      return open.size;
    },
  };
}
